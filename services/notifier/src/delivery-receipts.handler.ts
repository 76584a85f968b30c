import { DeliveryReceipt, outboundTopic } from '@switchboard/contracts';
import { BatchItem, BatchOutcome, EventPublisher } from '@switchboard/messaging';
import { NotificationDocument, NotificationRepository } from '@switchboard/persistence';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { ReceiptFoldWindow } from './receipt-fold-window';

const FAILURES: ReadonlySet<string> = new Set(['failed', 'undelivered']);

/**
 * Receipts per handleBatch call: with the fold window, a fetch holds a window's worth of a
 * partition's receipts, and the consumer hands a fetch over in calls of at most this many.
 */
export const RECEIPT_BATCH_SIZE = 1_000;

/** The logger calls it makes (PinoLogger's). */
export interface ReceiptsLogger {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
}

/**
 * A batch of `deliveries` receipts: stored folded per notification (one read of the batch's
 * notifications, at most one update each), then each failure followed up in order (retry,
 * fallback or give up); one that cannot be is retried alone. Then the fold window: the next batch
 * of the partition is fetched no sooner than `foldMs` after this one began (ReceiptFoldWindow).
 */
export class DeliveryReceiptsHandler {
  private readonly fold: ReceiptFoldWindow;
  /** Receipts of a batch that failed, which the consumer now hands over one by one: those must not wait a window each. */
  private readonly alone = new Set<string>();

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly failures: DeliverOrRetryUseCase,
    private readonly publisher: EventPublisher,
    private readonly logger: ReceiptsLogger,
    foldMs: number,
    /** The consumer's maxBatchSize: a full batch says more of the same fetch follow, and those must not wait. */
    private readonly maxBatchSize = RECEIPT_BATCH_SIZE,
  ) {
    this.fold = new ReceiptFoldWindow(foldMs);
  }

  /** `stopping` cuts the fold wait short: the batch is stored by then, and a stop should not wait a window. */
  async handleBatch(items: BatchItem<'deliveries'>[], stopping?: AbortSignal): Promise<BatchOutcome<'deliveries'>> {
    const partition = items[0]?.context.partition ?? 0;
    const retriedAlone = items.length === 1 && this.alone.has(items[0].event.eventId);
    if (items.length > 1) this.alone.clear();
    this.fold.begin(partition);
    let outcome: BatchOutcome<'deliveries'>;
    try {
      outcome = await this.recordAndFollowUp(items);
    } catch (error) {
      if (items.length > 1) for (const item of items) this.alone.add(item.event.eventId);
      throw error;
    }
    for (const { item } of outcome.failed) this.alone.add(item.event.eventId);
    if (retriedAlone && outcome.failed.length === 0) this.alone.delete(items[0].event.eventId);
    // Only now does the consumer fetch the partition's next batch: a notification's `sent` and `delivered` then tend to share one.
    // Not after a full batch (the rest of its fetch follows), nor when receipts are being retried one by one.
    if (items.length < this.maxBatchSize && !retriedAlone && outcome.failed.length === 0) await this.fold.linger(partition, stopping);
    return outcome;
  }

  private async recordAndFollowUp(items: BatchItem<'deliveries'>[]): Promise<BatchOutcome<'deliveries'>> {
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
