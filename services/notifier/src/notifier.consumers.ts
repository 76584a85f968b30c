import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { outboundTopic } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { NotificationRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

@Injectable()
export class NotifierConsumers {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, notify: NotifyCustomerUseCase,
    fallBack: FallBackChannelUseCase, notifications: NotificationRepository, logger: PinoLogger) {
    consumers.register({
      groupId: 'notifier',
      topic: 'tickets',
      handle: async (event) => {
        for (const outbound of await notify.execute(event, new Date())) {
          await publisher.publish(outboundTopic(outbound.channel), outbound, { key: outbound.contactKey });
          logger.info({ ticket: outbound.ticketNumber, kind: outbound.kind, notificationId: outbound.notificationId, channel: outbound.channel }, 'notification handed to the channel');
        }
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
        if (!known) return logger.warn({ notificationId: receipt.notificationId }, 'receipt for a notification we do not know');
        const fallback = await fallBack.execute(receipt, new Date());
        if (!fallback) return;
        await publisher.publish(outboundTopic(fallback.channel), fallback, { key: fallback.contactKey });
        logger.info({ failed: receipt.notificationId, notificationId: fallback.notificationId, channel: fallback.channel }, 'delivery failed; sent on another channel of the same person');
      },
    });
  }
}
