import { DeliveryReceipt, deterministicId, OutboundMessage } from '@switchboard/contracts';
import { afterDeliveryFailure } from '@switchboard/channels';
import { NotificationDocument, NotificationRepository, outboundOf } from '@switchboard/persistence';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';

export type FailureHandling =
  | { kind: 'nothing' }
  | { kind: 'retry-scheduled'; notificationId: string; retry: number; dueAt: Date }
  | { kind: 'fall-back'; outbound: OutboundMessage }
  | { kind: 'gave-up'; notificationId: string };

/**
 * What follows a failed delivery: a temporary failure is sent again on the same channel after
 * each configured delay in turn; after a permanent error, an `undelivered` or the last retry, it
 * goes to another verified channel of the person; when that fails too (or there is none), the
 * original notification is marked as given up, which is what agents see.
 *
 * Each retry is a notification of its own (`retryOf` the original, its id derived from the
 * original and the retry number): the channels deduplicate sends by notification id, and every
 * attempt keeps its own receipts. The retry is stored with its due time; RetryDispatcher hands it
 * to the channel then, so a notifier restart loses no retry.
 */
export class DeliverOrRetryUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly fallBack: FallBackChannelUseCase,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  /** `stored`: the failed notification when the caller read it already (a batch's failures are read together). */
  async execute(receipt: DeliveryReceipt, now: Date, stored?: NotificationDocument | null): Promise<FailureHandling> {
    if (receipt.status !== 'failed' && receipt.status !== 'undelivered') return { kind: 'nothing' };
    const failed = stored === undefined ? await this.notifications.find(receipt.notificationId) : stored;
    if (!failed || failed.errorCode === 'rate_limited') return { kind: 'nothing' };
    const original = failed.fallbackOf ?? failed.retryOf ?? failed._id;
    if (failed.fallbackOf) return this.giveUp(original, now);

    const next = afterDeliveryFailure({ channel: failed.channel, status: receipt.status, code: receipt.error?.code, retriesMade: failed.retry ?? 0 }, this.retryDelaysMs);
    if (next.action === 'none') return { kind: 'nothing' };
    const sentAs = outboundOf(failed);
    if (next.action === 'retry' && sentAs) {
      const id = deterministicId('notification', 'retry', failed.retryOf ?? failed._id, String(next.retry));
      const dueAt = new Date(now.getTime() + next.delayMs);
      const outbound = { ...sentAs, notificationId: id, eventId: deterministicId('outbound', id) };
      await this.notifications.scheduleRetry({
        _id: id,
        ticketId: failed.ticketId,
        kind: failed.kind,
        channel: failed.channel,
        contactKey: failed.contactKey,
        ...(failed.personId ? { personId: failed.personId } : {}),
        ...(failed.ticketNumber !== undefined ? { ticketNumber: failed.ticketNumber } : {}),
        ...(failed.category ? { category: failed.category } : {}),
        ...(failed.vars ? { vars: failed.vars } : {}),
        ...(failed.automatic !== undefined ? { automatic: failed.automatic } : {}),
        retryOf: failed.retryOf ?? failed._id,
        retry: next.retry,
        dueAt,
        outbound,
        language: failed.language,
        text: failed.text,
        status: 'queued',
        deliveries: [],
        createdAt: now,
        updatedAt: now,
      });
      return { kind: 'retry-scheduled', notificationId: id, retry: next.retry, dueAt };
    }
    const fallback = await this.fallBack.execute(failed, now);
    return fallback ? { kind: 'fall-back', outbound: fallback } : this.giveUp(original, now);
  }

  private async giveUp(original: string, now: Date): Promise<FailureHandling> {
    await this.notifications.markGaveUp(original, now);
    return { kind: 'gave-up', notificationId: original };
  }
}
