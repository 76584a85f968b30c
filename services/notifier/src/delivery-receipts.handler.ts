import { DeliveryReceipt, outboundTopic } from '@switchboard/contracts';
import { BatchItem, BatchOutcome, EventPublisher } from '@switchboard/messaging';
import { NotificationDocument, NotificationRepository } from '@switchboard/persistence';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { NotifierLogger } from './notifier-logger';

const FAILURES: ReadonlySet<string> = new Set(['failed', 'undelivered']);

/**
 * Receipts per handleBatch call: with the fold window (the consumer's minFetchIntervalMs), a fetch
 * holds a window's worth of a partition's receipts, handed over in calls of at most this many.
 */
export const RECEIPT_BATCH_SIZE = 1_000;

/**
 * A batch of `deliveries` receipts: stored folded per notification (one read of the batch's
 * notifications, at most one update each), then each failure followed up in order (retry,
 * fallback or give up); one that cannot be is retried alone. The fold window is the consumer's
 * (`minFetchIntervalMs`, from NOTIFY_RECEIPT_FOLD_MS): a partition's fetches start at least that
 * far apart, so a notification's `sent` and `delivered`, tens of milliseconds apart in produce
 * requests of their own, tend to reach one batch and cost one update statement (on FerretDB v1 a
 * transaction that decodes and rewrites the whole document).
 */
export class DeliveryReceiptsHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly failures: DeliverOrRetryUseCase,
    private readonly publisher: EventPublisher,
    private readonly logger: NotifierLogger,
  ) {}

  async handleBatch(items: BatchItem<'deliveries'>[]): Promise<BatchOutcome<'deliveries'>> {
    const known = await this.notifications.recordDeliveries(
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
    const failedNotifications = failedIds.length > 0 ? await this.notifications.findMany(failedIds) : new Map<string, NotificationDocument>();
    const outcome: BatchOutcome<'deliveries'> = { failed: [] };
    for (const item of items) {
      if (!known.has(item.event.notificationId)) {
        this.logger.warn({ notificationId: item.event.notificationId }, 'receipt for a notification we do not know');
        continue;
      }
      try {
        await this.followUp(item, failedNotifications.get(item.event.notificationId) ?? null);
      } catch (error) {
        outcome.failed.push({ item, error });
      }
    }
    return outcome;
  }

  private async followUp({ event: receipt }: BatchItem<'deliveries'>, failed: NotificationDocument | null): Promise<void> {
    const next = await this.failures.execute(receipt as DeliveryReceipt, new Date(), FAILURES.has(receipt.status) ? failed : undefined);
    const log = { failed: receipt.notificationId, code: receipt.error?.code };
    switch (next.kind) {
      case 'retry-scheduled':
        return this.logger.info({ ...log, notificationId: next.notificationId, retry: next.retry, dueAt: next.dueAt }, 'delivery failed; retry scheduled on the same channel');
      case 'fall-back':
        await this.publisher.publish(outboundTopic(next.outbound.channel), next.outbound, { key: next.outbound.contactKey });
        return this.logger.info({ ...log, notificationId: next.outbound.notificationId, channel: next.outbound.channel }, 'delivery failed; sent on another channel of the same person');
      case 'gave-up':
        return this.logger.warn({ ...log, notificationId: next.notificationId }, 'delivery failed on every channel; marked failed for the agents');
    }
  }
}
