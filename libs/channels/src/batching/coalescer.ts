/**
 * Gathers what concurrent callers want written into one write. While a write is in flight the
 * next callers queue; when it ends they go together in the next one. Nothing waits on a timer,
 * so a lone caller is written at once, and under load each write carries what arrived during
 * the previous one: on a database with one write lock (FerretDB over SQLite) a hundred inserts
 * in one command cost about what one does, while a hundred separate ones queue for the lock.
 * Each caller's promise settles with its own write: resolved when stored, rejected with the
 * write's error (the caller then answers as it would have for a failed write of its own).
 */
export class Coalescer<T> {
  private queue: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxItems = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
        await this.write(taken.map((t) => t.item));
        for (const t of taken) t.resolve();
      } catch (error) {
        for (const t of taken) t.reject(error);
      }
    }
    this.writing = false;
  }
}
