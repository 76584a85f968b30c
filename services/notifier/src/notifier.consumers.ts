import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { outboundTopic } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { NotificationRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

/**
 * Both handlers are idempotent by themselves (notifications and retries are inserted under ids
 * derived from their cause, receipts are recorded once by receipt id), so they skip the
 * processed-event store and its lookup and write per event; partitions are handled side by side
 * (one ticket's events, one notification's receipts stay in order on their partition).
 */
const CONSUMING = { processed: undefined, partitionsConsumedConcurrently: 16 } as const;

@Injectable()
export class NotifierConsumers {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, notify: NotifyCustomerUseCase,
    failures: DeliverOrRetryUseCase, notifications: NotificationRepository, logger: PinoLogger) {
    consumers.register({
      ...CONSUMING,
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
      ...CONSUMING,
      groupId: 'notifier-deliveries',
      topic: 'deliveries',
      handle: async (receipt) => {
        const known = await notifications.recordDelivery(receipt.notificationId, {
          status: receipt.status,
          at: new Date(receipt.occurredAt),
          providerMessageId: receipt.providerMessageId,
          errorCode: receipt.error?.code,
          error: receipt.error?.message,
          receiptId: receipt.eventId,
        });
        if (!known) return logger.warn({ notificationId: receipt.notificationId }, 'receipt for a notification we do not know');
        const next = await failures.execute(receipt, new Date());
        const log = { failed: receipt.notificationId, code: receipt.error?.code };
        switch (next.kind) {
          case 'retry-scheduled':
            return logger.info({ ...log, notificationId: next.notificationId, retry: next.retry, dueAt: next.dueAt }, 'delivery failed; retry scheduled on the same channel');
          case 'fall-back':
            await publisher.publish(outboundTopic(next.outbound.channel), next.outbound, { key: next.outbound.contactKey });
            return logger.info({ ...log, notificationId: next.outbound.notificationId, channel: next.outbound.channel }, 'delivery failed; sent on another channel of the same person');
          case 'gave-up':
            return logger.warn({ ...log, notificationId: next.notificationId }, 'delivery failed on every channel; marked failed for the agents');
        }
      },
    });
  }
}
