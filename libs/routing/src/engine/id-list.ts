/** Read side of `IdList`: what callers of `AgentView` may ask. */
export interface IdSet extends Iterable<string> {
  readonly size: number;
  has(id: string): boolean;
}

/**
 * A small set of ids in the order they were added, for the few conversations an agent holds. A
 * `Set` reallocates its table each time it is emptied, which for an agent's offers is after
 * nearly every accept; an array does not.
 */
export class IdList implements IdSet {
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  add(id: string): void {
    if (!this.ids.includes(id)) this.ids.push(id);
  }

  delete(id: string): boolean {
    const ids = this.ids;
    const at = ids.indexOf(id);
    if (at < 0) return false;
    for (let i = at + 1; i < ids.length; i++) ids[i - 1] = ids[i];
    ids.length--;
    return true;
  }

  /** A copy, so the list may change while the caller goes through it. */
  toArray(): string[] {
    return this.ids.slice();
  }

  [Symbol.iterator](): Iterator<string> {
    return this.ids[Symbol.iterator]();
  }
}
