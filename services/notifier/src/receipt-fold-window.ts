import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Makes each partition's receipt batches span at least `ms`: a batch handled sooner than that
 * after its start waits out the rest before the consumer fetches the next one. A notification's
 * receipts (`sent`, then `delivered`) come tens of milliseconds apart, each in its own produce
 * request, so back-to-back small batches split them, and each cost the notification its own
 * update statement (on FerretDB v1 a transaction that decodes and rewrites the whole document).
 * In one batch they fold into one.
 *
 * The receipts wait in Kafka, not in memory: a batch's offsets are resolved only once it is
 * stored, so a stop or crash during the wait loses nothing. A failed receipt waits at most `ms`
 * (plus the batch before it) for its retry or fallback. 0 turns it off.
 */
export class ReceiptFoldWindow {
  private readonly started = new Map<number, number>();

  constructor(
    private readonly ms: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** A batch of this partition starts (it was just fetched). */
  begin(partition: number): void {
    this.started.set(partition, this.clock());
  }

  /** After the batch is stored: waits until `ms` have passed since it began, or the service stops. */
  async linger(partition: number, stopping?: AbortSignal): Promise<void> {
    const began = this.started.get(partition);
    if (this.ms <= 0 || began === undefined) return;
    const left = began + this.ms - this.clock();
    if (left > 0 && !stopping?.aborted) await sleep(left, undefined, { signal: stopping }).catch(() => undefined);
  }
}
