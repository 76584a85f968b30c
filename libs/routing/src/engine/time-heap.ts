/** Something due at `at`; `seq` orders what falls due at the same instant (unique per heap). */
export interface Due {
  at: number;
  seq: number;
}

/**
 * A binary min-heap by time, then `seq`: the engine's timers and the simulator's schedule. Its own
 * class with the comparison written in, rather than a `BinaryHeap` with a comparator: one
 * `BinaryHeap` call site serving every order the engine and simulator use is too polymorphic for
 * the compiler to inline, and these two heaps see every event.
 */
export class TimeHeap<T extends Due> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (!(item.at < p.at || (item.at === p.at && item.seq < p.seq))) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Keeps only the items for which `keep` holds (used to drop stale entries in bulk). */
  retain(keep: (item: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n) {
        const a = items[r];
        const b = items[l];
        if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) child = r;
      }
      const c = items[child];
      if (!(c.at < item.at || (c.at === item.at && c.seq < item.seq))) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}
