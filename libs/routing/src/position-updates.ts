/**
 * Decides when a waiting ticket is told its new place in the queue: only when the place changed,
 * and at most once per `minIntervalMs` per ticket, so a long queue moving fast does not flood
 * Kafka or the customers. A change held back is told on a later pass (the caller keeps asking).
 */
export class PositionUpdates {
  private readonly told = new Map<string, { queue: string; position: number; at: number }>();

  constructor(private readonly minIntervalMs: number) {}

  /** A place the customer was told (any `waiting` decision, throttled or not). */
  record(ticketId: string, queue: string, position: number, at: number): void {
    this.told.set(ticketId, { queue, position, at });
  }

  /** The ticket no longer waits (offered, assigned, resolved): nothing to remember. */
  forget(ticketId: string): void {
    this.told.delete(ticketId);
  }

  /** `tell`: worth telling now; `later`: changed, but told too recently; `same`: nothing new. */
  check(ticketId: string, queue: string, position: number, now: number): 'tell' | 'later' | 'same' {
    const last = this.told.get(ticketId);
    if (last && last.queue === queue && last.position === position) return 'same';
    if (last && now - last.at < this.minIntervalMs) return 'later';
    return 'tell';
  }

  get size(): number {
    return this.told.size;
  }

  clear(): void {
    this.told.clear();
  }
}
