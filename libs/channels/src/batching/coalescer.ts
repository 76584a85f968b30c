/**
 * Gathers what concurrent callers want written into one write. While a write is in flight the
 * next callers queue; when it ends they go together in the next one. Nothing waits on a timer,
 * so a lone caller is written at once, and under load each write carries what arrived during
 * the previous one: on a database with one write lock (FerretDB over SQLite) a hundred inserts
 * in one command cost about what one does, while a hundred separate ones queue for the lock.
 * Each caller's promise settles with its own write: resolved when stored (with the write's
 * answer for its item, `results[i]` for `items[i]`), rejected with the write's error (the caller
 * then answers as it would have for a failed write of its own).
 */
export class Coalescer<T, R = void> {
  private queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly maxItems = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    // Callers of the same tick (a consumer's batch, requests parsed together) share the first write.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const taken = this.queue.slice(0, this.maxItems);
      this.queue = this.queue.slice(taken.length);
      try {
        const results = await this.write(taken.map((t) => t.item));
        for (const [n, t] of taken.entries()) t.resolve((results ? results[n] : undefined) as R);
      } catch (error) {
        for (const t of taken) t.reject(error);
      }
    }
    this.writing = false;
  }
}
