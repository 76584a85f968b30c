import { Channel, DeliveryReceipt, DeliveryStatus } from '@switchboard/contracts';
import { parseRetryDelays } from './delivery-retry';

/** Statuses after which a provider may still report something: a notification left here is "stalled". */
const NOT_FINAL: ReadonlySet<DeliveryStatus> = new Set(['queued', 'sent']);

export function isFinalDelivery(status: DeliveryStatus): boolean {
  return !NOT_FINAL.has(status);
}

/**
 * When to ask the provider about a stalled delivery, each counted from its last receipt
 * (`10m,1h,6h`), in increasing order. Empty: never. Same units as NOTIFY_RETRY_DELAYS.
 */
export function parseCheckAfter(source: string): number[] {
  const delays = parseRetryDelays(source);
  for (let i = 1; i < delays.length; i++) {
    if (delays[i] <= delays[i - 1]) throw new Error(`check delays must grow: ${source.split(',')[i].trim()} does not come after ${source.split(',')[i - 1].trim()}`);
  }
  if (delays.some((d) => d <= 0)) throw new Error('a check delay must be above zero');
  return delays;
}

export interface UnfinishedDelivery {
  /** When its latest receipt in the batch happened. */
  lastAt: Date;
  providerMessageId?: string;
}

/**
 * The notifications of `channel` whose receipts in this stretch of `deliveries` (one partition,
 * in order; a notification's receipts are all on its partition) end without a final one. A
 * notification with a final receipt anywhere in the stretch is done: statuses never move back, and
 * `queued` may well come after `delivered`. Read long enough after the fact, a stretch holds the
 * whole story of nearly every message, so only those whose callbacks were lost are left.
 */
export function unfinishedDeliveries(receipts: readonly DeliveryReceipt[], channel: Channel): Map<string, UnfinishedDelivery> {
  const open = new Map<string, UnfinishedDelivery>();
  const done = new Set<string>();
  for (const receipt of receipts) {
    if (receipt.channel !== channel || done.has(receipt.notificationId)) continue;
    if (isFinalDelivery(receipt.status)) {
      done.add(receipt.notificationId);
      open.delete(receipt.notificationId);
      continue;
    }
    const at = new Date(receipt.occurredAt);
    const known = open.get(receipt.notificationId);
    const providerMessageId = receipt.providerMessageId ?? known?.providerMessageId;
    open.set(receipt.notificationId, { lastAt: known && known.lastAt > at ? known.lastAt : at, ...(providerMessageId ? { providerMessageId } : {}) });
  }
  return open;
}

/**
 * How long to hold a stretch of receipts before judging it: until its newest receipt is `afterMs`
 * old, so the callbacks that normally follow within seconds are in it or in an earlier stretch.
 * Never more than `afterMs` (a channel clock ahead of ours must not hold it longer).
 */
export function holdReceiptsMs(receipts: readonly Pick<DeliveryReceipt, 'occurredAt'>[], now: Date, afterMs: number): number {
  let newest = -Infinity;
  for (const r of receipts) newest = Math.max(newest, Date.parse(r.occurredAt));
  if (!Number.isFinite(newest)) return 0;
  return Math.min(afterMs, Math.max(0, newest + afterMs - now.getTime()));
}

export type DeliveryCheckPlan =
  /** Ask the provider now; `check` is the stage it stands for; the next one is due at `nextDueAt` (none after the last). */
  | { kind: 'check'; check: number; nextDueAt?: Date }
  /** Nothing yet: the next stage is due then. */
  | { kind: 'wait'; dueAt: Date }
  /** Final (the check's receipt or a late callback arrived), gone, or every stage done: forget it. */
  | { kind: 'stop' };

/**
 * What to do about a stalled notification whose last receipt was at `since`, `checksDone` stages
 * in. Stages missed while nobody was looking (the notifier down, a first start over an old topic)
 * collapse into one check: a message is asked about once per look, never several times in a row.
 */
export function planDeliveryCheck(input: { status: DeliveryStatus | undefined; since: Date; checksDone: number }, now: Date, checkAfterMs: readonly number[]): DeliveryCheckPlan {
  if (input.status === undefined || isFinalDelivery(input.status) || input.checksDone >= checkAfterMs.length) return { kind: 'stop' };
  const elapsed = now.getTime() - input.since.getTime();
  const due = checkAfterMs.filter((ms) => ms <= elapsed).length;
  if (due <= input.checksDone) return { kind: 'wait', dueAt: new Date(input.since.getTime() + checkAfterMs[input.checksDone]) };
  return due < checkAfterMs.length ? { kind: 'check', check: due, nextDueAt: new Date(input.since.getTime() + checkAfterMs[due]) } : { kind: 'check', check: due };
}
