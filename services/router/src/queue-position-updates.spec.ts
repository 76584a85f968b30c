import { DEFAULT_WORKFLOW_YAML, Decision, parseWorkflow, RoutingEngine, TicketAttributes } from '@switchboard/routing';
import { QueuePositionUpdates } from './queue-position-updates';

const T0 = Date.parse('2026-11-30T03:00:00Z');
const refund: TicketAttributes = { category: 'refund', confidence: 0.95, language: 'id', channel: 'inapp', urgency: [] };

describe('QueuePositionUpdates', () => {
  it('tells the tickets behind their new place when the queue moves, only when it changed and at most once per interval', () => {
    const engine = new RoutingEngine(parseWorkflow(DEFAULT_WORKFLOW_YAML));
    const updates = new QueuePositionUpdates(30_000);
    const feed = (decisions: Decision[]) => decisions.forEach((d) => updates.observe(d, engine));
    feed(engine.apply({ type: 'agent', agent: { id: 'ana', skills: ['refunds'], languages: ['id'], capacity: { chat: 1 } } }, T0));
    for (let i = 1; i <= 4; i++) feed(engine.apply({ type: 'arrival', ticketId: `t${i}`, attributes: refund }, T0 + i * 1000));
    expect(updates.due(engine, T0 + 5_000)).toEqual([]);

    // ana comes in and takes t1: t2..t4 each move up one place.
    feed(engine.apply({ type: 'presence', agentId: 'ana', presence: 'available' }, T0 + 40_000));
    const told = updates.due(engine, T0 + 40_000);
    expect(told.map((d) => d.type === 'waiting' && [d.ticketId, d.position])).toEqual([
      ['t2', 1],
      ['t3', 2],
      ['t4', 3],
    ]);
    feed(told);

    // t3 is resolved without an agent (the customer sorted it out): t4 moves up, but was told 10 s ago.
    feed(engine.apply({ type: 'resolve', ticketId: 't3' }, T0 + 50_000));
    expect(updates.due(engine, T0 + 50_000)).toEqual([]);
    // Held back, not lost: told once the interval has passed; t2, whose place did not change, is not told again.
    const later = updates.due(engine, T0 + 71_000);
    expect(later.map((d) => d.type === 'waiting' && [d.ticketId, d.position, d.explanation[0]])).toEqual([['t4', 2, 'the queue moved: new place']]);
    feed(later);
    expect(updates.due(engine, T0 + 200_000)).toEqual([]);
  });

  it('does nothing when turned off', () => {
    const engine = new RoutingEngine(parseWorkflow(DEFAULT_WORKFLOW_YAML));
    const updates = new QueuePositionUpdates(0);
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: refund }, T0).forEach((d) => updates.observe(d, engine));
    engine.apply({ type: 'resolve', ticketId: 't1' }, T0 + 1).forEach((d) => updates.observe(d, engine));
    expect(updates.due(engine, T0 + 60_000)).toEqual([]);
  });
});
