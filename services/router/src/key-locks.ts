/**
 * Mutual exclusion by key within one process: `hold(keys)` waits until every earlier holder of any
 * of these keys let go, and returns the function that lets go. A holder queues on all its keys in
 * one synchronous step, so of two holders sharing keys the same one is first on each of them, and
 * holders never wait on each other in a circle; holding a second set while holding a first stays
 * free of that as long as nobody holding a second-kind key then asks for a first-kind one.
 */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async hold(keys: Iterable<string>): Promise<() => void> {
    const unique = [...new Set(keys)];
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = unique.flatMap((key) => {
      const tail = this.tails.get(key);
      this.tails.set(key, mine);
      return tail ? [tail] : [];
    });
    await Promise.all(before);
    return () => {
      release();
      for (const key of unique) if (this.tails.get(key) === mine) this.tails.delete(key);
    };
  }

  /** Keys held or waited for (for tests: every holder let go). */
  get size(): number {
    return this.tails.size;
  }
}
