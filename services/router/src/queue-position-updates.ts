import { Decision, PositionUpdates, RoutingEngine } from '@switchboard/routing';

/** Decisions after which the tickets behind (or in) a queue may have a new place. */
const MOVES_QUEUE = new Set<Decision['type']>(['offered', 'assigned', 'offerWithdrawn', 'unassigned', 'resolved', 'routed', 'priorityChanged']);
const STOPS_WAITING = new Set<Decision['type']>(['offered', 'assigned', 'resolved']);

/**
 * Tells waiting tickets their new place when their queue moves (tickets ahead offered, assigned,
 * resolved, moved away), through `PositionUpdates` (only a changed place, at most once per
 * interval per ticket), so the lease holder publishes a `ticket.waiting` with it.
 */
export class QueuePositionUpdates {
  private readonly updates: PositionUpdates;
  private readonly moved = new Set<string>();
  private nextPassAt = 0;

  constructor(private readonly intervalMs: number) {
    this.updates = new PositionUpdates(intervalMs);
  }

  /** Each decision as it is stored: a `waiting` one is what the customer was told. */
  observe(decision: Decision, engine: RoutingEngine): void {
    if (this.intervalMs <= 0 || !('ticketId' in decision)) return;
    if (decision.type === 'waiting') return this.updates.record(decision.ticketId, decision.queue, decision.position, decision.at);
    if (!MOVES_QUEUE.has(decision.type)) return;
    const queue = 'queue' in decision ? decision.queue : engine.ticket(decision.ticketId)?.queue;
    if (queue) this.moved.add(queue);
    if (STOPS_WAITING.has(decision.type)) this.updates.forget(decision.ticketId);
  }

  /** A new engine: nothing told is known any more (a rebuild tells every changed place itself). */
  reset(): void {
    this.updates.clear();
    this.moved.clear();
    this.nextPassAt = 0;
  }

  /** The `waiting` decisions due now: places that changed in queues that moved, not told within the interval. */
  due(engine: RoutingEngine, now: number): Decision[] {
    if (this.intervalMs <= 0 || this.moved.size === 0 || now < this.nextPassAt) return [];
    this.nextPassAt = now + Math.min(1000, this.intervalMs);
    const queues = [...this.moved];
    this.moved.clear();
    const out: Decision[] = [];
    for (const queue of queues) {
      let heldBack = false;
      for (const place of engine.waitingList(queue, now)) {
        const verdict = this.updates.check(place.ticketId, place.queue, place.position, now);
        if (verdict === 'later') heldBack = true;
        if (verdict !== 'tell') continue;
        out.push({
          type: 'waiting',
          ticketId: place.ticketId,
          queue: place.queue,
          reason: engine.ticket(place.ticketId)?.reason ?? 'waiting for an agent',
          position: place.position,
          ...(place.expectedWaitSeconds !== undefined ? { expectedWaitSeconds: place.expectedWaitSeconds } : {}),
          at: now,
          explanation: ['the queue moved: new place', place.explanation],
        });
      }
      // A change held back by the interval is told on a later pass.
      if (heldBack) this.moved.add(queue);
    }
    return out;
  }
}
