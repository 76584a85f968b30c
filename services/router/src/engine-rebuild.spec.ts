import { AgentDocument, AssignmentRecord } from '@switchboard/persistence';
import { rebuildEngine, StoredTicket } from './engine-rebuild';
import { defaultWorkflow as workflow, refundsAgent, refundTicket } from './router-fixture.test';

const now = Date.parse('2026-11-29T10:00:00Z');

const agent = (id: string, presence: AgentDocument['presence']): AgentDocument => refundsAgent(id, presence, new Date(now));

/** Ticket `t<n>`, opened `100 - n` seconds ago (a lower number is older). */
function ticket(n: number, assignment: AssignmentRecord | null = null): StoredTicket {
  const doc = refundTicket(`t${n}`, n, new Date(now - (100 - n) * 1000), { status: assignment?.state === 'assigned' ? 'assigned' : 'open' });
  return { ticket: doc, assignment };
}

const held = (agentId: string, state: AssignmentRecord['state'] = 'assigned'): AssignmentRecord => ({ agentId, state, at: new Date(now - 5_000), epoch: 1 });

describe('rebuildEngine', () => {
  it('gives every stored assignment back to its agent, then the free slots to the oldest waiting tickets', () => {
    const agents = [agent('ana', 'available'), agent('bo', 'available')];
    const tickets = [ticket(1), ticket(2, held('bo')), ticket(3), ticket(4, held('ana')), ticket(5, held('ana')), ticket(6)];
    const { engine, decisions } = rebuildEngine(workflow, agents, tickets, now);

    expect(engine.ticket('t2')).toMatchObject({ status: 'assigned', agentId: 'bo' });
    expect(engine.ticket('t4')).toMatchObject({ status: 'assigned', agentId: 'ana' });
    expect(engine.ticket('t5')).toMatchObject({ status: 'assigned', agentId: 'ana' });
    // Chat capacity 3: ana has one slot left, bo two; t1, t3 and t6 fill them, oldest first, with offers.
    const offers = decisions.filter((d) => d.type === 'offered');
    expect(offers.map((d) => d.ticketId).sort()).toEqual(['t1', 't3', 't6']);
    expect(decisions.some((d) => d.type === 'assigned' || d.type === 'unassigned')).toBe(false);
    expect(engine.agent('ana')?.load.chat).toBe(3);
    expect(engine.agent('bo')?.load.chat).toBe(3);
  });

  it('keeps an open offer with its agent until its stored expiry, then offers it to the next agent', () => {
    const offer = { ...held('ana', 'offered'), offerExpiresAt: new Date(now + 7_000) };
    const agents = [agent('ana', 'available'), agent('bo', 'available')];
    const { engine, decisions } = rebuildEngine(workflow, agents, [ticket(1, offer)], now);
    expect(decisions.filter((d) => d.type !== 'waiting')).toEqual([]);
    expect(engine.ticket('t1')).toMatchObject({ status: 'offered', agentId: 'ana' });
    expect(engine.nextTimerAt()).toBe(now + 7_000);
    const later = engine.apply({ type: 'tick' }, now + 7_000);
    expect(later.filter((d) => d.type === 'offerWithdrawn' || d.type === 'offered').map((d) => [d.type, 'agentId' in d && d.agentId])).toEqual([
      ['offerWithdrawn', 'ana'],
      ['offered', 'bo'],
    ]);
  });

  it('withdraws an offer to an agent who is no longer available, and offers the ticket again', () => {
    const { engine, decisions } = rebuildEngine(workflow, [agent('ana', 'away'), agent('bo', 'available')], [ticket(1, held('ana', 'offered'))], now);
    expect(decisions.map((d) => d.type)).toEqual(['offerWithdrawn', 'offered']);
    expect(decisions[0]).toMatchObject({ ticketId: 't1', agentId: 'ana' });
    expect(engine.ticket('t1')).toMatchObject({ status: 'offered', agentId: 'bo' });
  });

  it('does not postpone a breach: SLA clocks count from when the ticket opened, and a breach already decided is not repeated', () => {
    const overdue = ticket(1);
    overdue.ticket.openedAt = new Date(now - 2 * 3600_000);
    const decided = ticket(2);
    decided.ticket.openedAt = new Date(now - 2 * 3600_000);
    const breach = (target: string) => ({ type: 'slaBreached', at: new Date(now - 3600_000), explanation: [`${target} target of policy 'standard' breached (due 0s ago)`], epoch: 1 });
    decided.ticket.routing = { ...decided.ticket.routing, decisions: [breach('first-response')] };
    const { engine, decisions } = rebuildEngine(workflow, [], [overdue, decided], now);
    expect(decisions.filter((d) => d.type === 'slaBreached').map((d) => d.type === 'slaBreached' && [d.ticketId, d.target, d.dueAt])).toEqual([['t1', 'first-response', now - 3600_000]]);
    expect(engine.ticket('t2')?.firstResponseDueAt).toBe(now - 3600_000);
  });

  it('keeps a wait for the customer: no SLA timer while it lasts, and the due time later by the earlier waits', () => {
    // The default workflow's standard policy: resolution in 48 h. Opened 50 h ago (due 2 h ago without the waits).
    const h = 3600_000;
    const waiting = ticket(1);
    waiting.ticket.openedAt = new Date(now - 50 * h);
    waiting.ticket.routing = { ...waiting.ticket.routing, firstRespondedAt: new Date(now - 50 * h) } as typeof waiting.ticket.routing;
    waiting.ticket.slaPauses = [{ from: new Date(now - 49.5 * h), to: new Date(now - 48.5 * h) }];
    waiting.ticket.slaPausedAt = new Date(now - 47 * h);
    const { engine, decisions } = rebuildEngine(workflow, [], [waiting], now);
    expect(decisions.filter((d) => d.type === 'slaBreached' || d.type === 'slaWarning')).toEqual([]);
    expect(engine.ticket('t1')).toMatchObject({ slaPolicy: 'standard', slaPausedAt: now - 47 * h, slaPauses: [{ from: now - 49.5 * h, to: now - 48.5 * h }] });
    // Its step timeout runs (no agent took it); no SLA timer does.
    expect(engine.apply({ type: 'tick' }, now + 40 * h).filter((d) => d.type === 'slaBreached' || d.type === 'slaWarning')).toEqual([]);
    const resumed = engine.apply({ type: 'ticketResumed', ticketId: 't1', at: now }, now + 40 * h);
    // 1 h + 47 h paused: due 96 h after it opened.
    expect(resumed.find((d) => d.type === 'slaResumed')).toMatchObject({ resolutionDueAt: now + 46 * h });
  });

  it('keeps an away agent’s tickets with them and counts the others’ places in the queue', () => {
    const { engine, decisions } = rebuildEngine(workflow, [agent('ana', 'away')], [ticket(1, held('ana')), ticket(2), ticket(3)], now);
    expect(engine.ticket('t1')).toMatchObject({ status: 'assigned', agentId: 'ana' });
    const waiting = decisions.filter((d) => d.type === 'waiting');
    expect(waiting.map((d) => [d.ticketId, d.type === 'waiting' && d.position])).toEqual([
      ['t2', 1],
      ['t3', 2],
    ]);
  });

  it('puts back in the queue, and says so, what cannot stay with its agent', () => {
    const agents = [agent('ana', 'offline'), agent('bo', 'available')];
    const tickets = [ticket(1, held('ana')), ticket(2, held('ghost'))];
    const { engine, decisions } = rebuildEngine(workflow, agents, tickets, now);
    const unassigned = decisions.filter((d) => d.type === 'unassigned');
    expect(unassigned.map((d) => d.ticketId).sort()).toEqual(['t1', 't2']);
    expect(unassigned.find((d) => d.ticketId === 't2')?.explanation[0]).toContain('ghost is not a known agent');
    // Both go to bo, the one available agent.
    expect(decisions.filter((d) => d.type === 'offered').map((d) => d.type === 'offered' && d.agentId)).toEqual(['bo', 'bo']);
    expect(engine.ticket('t1')?.agentId).toBe('bo');
  });
});
