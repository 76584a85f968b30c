import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DeliveryReceipt, outboundTopic } from '@switchboard/contracts';
import { BatchItem, BatchOutcome, EventPublisher } from '@switchboard/messaging';
import { NotificationDocument, NotificationRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

/**
 * Both handlers are idempotent by themselves (notifications and retries are inserted under ids
 * derived from their cause, receipts are recorded once by receipt id), so they skip the
 * processed-event store and its lookup and write per event; partitions are handled side by side
 * (one ticket's events, one notification's receipts stay in order on their partition).
 *
 * Both take their events in batches: FerretDB commits each single-document write on its own under
 * the database's write lock, so a batch's notifications go in one insertMany, its outbound
 * messages in one produce request, and its receipts in one write per notification.
 */
const FAILURES: ReadonlySet<string> = new Set(['failed', 'undelivered']);

const CONSUMING = { processed: undefined, partitionsConsumedConcurrently: 16, maxBatchSize: 200 } as const;

@Injectable()
export class NotifierConsumers {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, notify: NotifyCustomerUseCase,
    failures: DeliverOrRetryUseCase, notifications: NotificationRepository, logger: PinoLogger) {
    consumers.register({
      ...CONSUMING,
      groupId: 'notifier',
      topic: 'tickets',
      handleBatch: async (items) => {
        const outbound = (await notify.executeBatch(items.map((i) => i.event), new Date())).flat();
        await publisher.publishMany(outbound.map((o) => ({ topic: outboundTopic(o.channel), event: o, key: o.contactKey })));
        // One line per batch; each notification at debug (a line each was most of the notifier's logging CPU).
        if (outbound.length > 0) logger.info({ events: items.length, notifications: outbound.length }, 'notifications handed to the channels');
        for (const o of outbound) logger.debug({ ticket: o.ticketNumber, kind: o.kind, notificationId: o.notificationId, channel: o.channel }, 'notification handed to the channel');
      },
    });
    consumers.register({
      ...CONSUMING,
      groupId: 'notifier-deliveries',
      topic: 'deliveries',
      handleBatch: async (items) => {
        const known = await notifications.recordDeliveries(
          items.map(({ event: receipt }) => ({
            notificationId: receipt.notificationId,
            record: {
              status: receipt.status,
              at: new Date(receipt.occurredAt),
              providerMessageId: receipt.providerMessageId,
              errorCode: receipt.error?.code,
              error: receipt.error?.message,
              receiptId: receipt.eventId,
            },
          })),
        );
        // Failures are few: read together, each followed up on its own, in order; one that cannot be is retried alone.
        const failedIds = items.filter((i) => known.has(i.event.notificationId) && FAILURES.has(i.event.status)).map((i) => i.event.notificationId);
        const failedNotifications = failedIds.length > 0 ? await notifications.findMany(failedIds) : new Map<string, NotificationDocument>();
        const outcome: BatchOutcome<'deliveries'> = { failed: [] };
        for (const item of items) {
          if (!known.has(item.event.notificationId)) {
            logger.warn({ notificationId: item.event.notificationId }, 'receipt for a notification we do not know');
            continue;
          }
          try {
            await followUp(item, failedNotifications.get(item.event.notificationId) ?? null);
          } catch (error) {
            outcome.failed.push({ item, error });
          }
        }
        return outcome;
      },
    });

    async function followUp({ event: receipt }: BatchItem<'deliveries'>, failed: NotificationDocument | null): Promise<void> {
      const next = await failures.execute(receipt as DeliveryReceipt, new Date(), FAILURES.has(receipt.status) ? failed : undefined);
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
    }
  }
}
