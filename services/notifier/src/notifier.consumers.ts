import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { outboundTopic } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { NotificationRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { AcknowledgeTicketUseCase } from './acknowledge-ticket.use-case';

@Injectable()
export class NotifierConsumers {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, acknowledge: AcknowledgeTicketUseCase, notifications: NotificationRepository, logger: PinoLogger) {
    consumers.register({
      groupId: 'notifier',
      topic: 'tickets',
      handle: async (event) => {
        const outbound = await acknowledge.execute(event, new Date());
        if (!outbound) return;
        await publisher.publish(outboundTopic(outbound.channel), outbound, { key: outbound.contactKey });
        logger.info({ ticket: outbound.ticketNumber, notificationId: outbound.notificationId, channel: outbound.channel }, 'acknowledgement sent');
      },
    });
    consumers.register({
      groupId: 'notifier-deliveries',
      topic: 'deliveries',
      handle: async (receipt) => {
        const known = await notifications.recordDelivery(receipt.notificationId, {
          status: receipt.status,
          at: new Date(receipt.occurredAt),
          providerMessageId: receipt.providerMessageId,
          errorCode: receipt.error?.code,
          error: receipt.error?.message,
        });
        if (!known) logger.warn({ notificationId: receipt.notificationId }, 'receipt for a notification we do not know');
      },
    });
  }
}
