import { TicketAttributes } from '../attributes';
import { DEFAULT_WORKFLOW_YAML } from '../default-workflow';
import { parseWorkflow } from '../workflow';
import { AgentProfile, Decision, DecisionOf } from './model';
import { RoutingEngine } from './routing-engine';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;

const SIMPLE = `
version: 1
agents: { missedOffersBeforeAway: 2 }
queues:
  - { id: support, name: Support, offerTimeoutSeconds: 30 }
  - { id: auto, name: Auto, autoAccept: true }
  - { id: idle, name: Idle first, autoAccept: true, agentChoice: longest-idle }
  - { id: experts, name: Experts, autoAccept: true, members: "'expert' in skills" }
  - { id: overflow, name: Overflow, autoAccept: true }
  - { id: fifo, name: FIFO, order: age, autoAccept: true }
filters:
  - { name: auto, when: "customerTier == 'auto'", targets: [{ queue: auto, priority: 10 }] }
  - { name: idle, when: "customerTier == 'idle'", targets: [{ queue: idle, priority: 10 }] }
  - name: experts
    when: "category == 'account_security'"
    targets:
      - { queue: experts, priority: 50, worker: "ticket.language in languages and level >= 2", timeoutSeconds: 60 }
      - { queue: experts, priority: 50 }
  - { name: fifo, when: "customerTier == 'fifo'", targets: [{ queue: fifo, priority: 10 }] }
default: { name: default, targets: [{ queue: support, priority: 10 }] }
sla:
  - name: security
    when: "category == 'account_security'"
    firstResponseSeconds: 300
    warnBeforeSeconds: 60
    onWarning: [{ action: raise-priority, by: 25 }]
    onBreach: [{ action: reassign }, { action: alert-supervisors }]
  - name: refunds
    when: "category == 'refund'"
    firstResponseSeconds: 600
    onBreach: [{ action: move-to, queue: overflow }, { action: alert-supervisors }]
`;

function ticket(over: Partial<TicketAttributes> = {}): TicketAttributes {
  return { category: 'other', confidence: 0.9, language: 'en', channel: 'inapp', urgency: [], ...over };
}

function agent(id: string, over: Partial<AgentProfile> = {}): AgentProfile {
  return { id, presence: 'available', languages: ['en'], ...over };
}

function of<T extends Decision['type']>(decisions: Decision[], type: T): DecisionOf<T>[] {
  return decisions.filter((d): d is DecisionOf<T> => d.type === type);
}

describe('RoutingEngine scenarios', () => {
  let engine: RoutingEngine;
  beforeEach(() => {
    engine = new RoutingEngine(parseWorkflow(SIMPLE));
  });

  it('assigns a waiting conversation as soon as an agent frees up', () => {
    engine.apply({ type: 'agent', agent: agent('a1', { capacity: { chat: 1 } }) }, at(0));
    const first = engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket({ customerTier: 'auto' }) }, at(1));
    expect(of(first, 'assigned')).toMatchObject([{ ticketId: 't1', agentId: 'a1' }]);
    const second = engine.apply({ type: 'arrival', ticketId: 't2', attributes: ticket({ customerTier: 'auto' }) }, at(2));
    expect(of(second, 'waiting')).toMatchObject([{ ticketId: 't2', queue: 'auto', position: 1 }]);
    expect(of(second, 'waiting')[0].reason).toMatch(/1 available agent at chat capacity/);
    const freed = engine.apply({ type: 'resolve', ticketId: 't1' }, at(40));
    expect(freed.map((d) => d.type)).toEqual(['resolved', 'assigned']);
    expect(of(freed, 'assigned')[0]).toMatchObject({ ticketId: 't2', agentId: 'a1', waitedSeconds: 38 });
    expect(of(freed, 'assigned')[0].explanation.join('\n')).toMatch(/a1 has chat capacity free[\s\S]*t2 in 'auto' is first/);
  });

  it('balances load by spare capacity and never exceeds it', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'agent', agent: agent('a2') }, at(0));
    const assigned: Record<string, string> = {};
    for (let i = 0; i < 7; i++) {
      for (const d of of(engine.apply({ type: 'arrival', ticketId: `t${i}`, attributes: ticket({ customerTier: 'auto' }) }, at(i)), 'assigned')) assigned[d.ticketId] = d.agentId;
    }
    expect(assigned).toEqual({ t0: 'a1', t1: 'a2', t2: 'a1', t3: 'a2', t4: 'a1', t5: 'a2' });
    expect(engine.agent('a1')?.load.chat).toBe(3);
    expect(engine.ticket('t6')).toMatchObject({ status: 'waiting' });
    // Email capacity is separate: an email still goes straight to an agent.
    const email = engine.apply({ type: 'arrival', ticketId: 'e1', attributes: ticket({ customerTier: 'auto', channel: 'email' }) }, at(10));
    expect(of(email, 'assigned')).toHaveLength(1);
    const explanation = of(email, 'assigned')[0].explanation.join('\n');
    expect(explanation).toMatch(/2 candidates: a1 \(8 of 8 email free[\s\S]*chose a1: most email capacity free/);
  });

  it('gives work to the longest idle agent when the queue says so', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'agent', agent: agent('a2') }, at(5));
    const d1 = engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket({ customerTier: 'idle' }) }, at(10));
    expect(of(d1, 'assigned')[0]).toMatchObject({ agentId: 'a1' });
    expect(of(d1, 'assigned')[0].explanation.join('\n')).toMatch(/chose a1: longest idle/);
    const d2 = engine.apply({ type: 'arrival', ticketId: 't2', attributes: ticket({ customerTier: 'idle' }) }, at(11));
    expect(of(d2, 'assigned')[0]).toMatchObject({ agentId: 'a2' });
    const d3 = engine.apply({ type: 'arrival', ticketId: 't3', attributes: ticket({ customerTier: 'idle' }) }, at(12));
    expect(of(d3, 'assigned')[0]).toMatchObject({ agentId: 'a1' });
  });

  it('shows queue position and an expected wait from the recent service rate', () => {
    engine.apply({ type: 'agent', agent: agent('a1', { capacity: { chat: 1 } }) }, at(0));
    engine.apply({ type: 'arrival', ticketId: 'first', attributes: ticket({ customerTier: 'auto' }) }, at(0));
    // Four assignments out of the queue in ten minutes: one every 150 s.
    for (let i = 1; i <= 3; i++) {
      engine.apply({ type: 'arrival', ticketId: `w${i}`, attributes: ticket({ customerTier: 'auto' }) }, at(i));
      engine.apply({ type: 'resolve', ticketId: i === 1 ? 'first' : `w${i - 1}` }, at(150 * i));
    }
    const waiting = ['x1', 'x2', 'x3'].map((id, i) => of(engine.apply({ type: 'arrival', ticketId: id, attributes: ticket({ customerTier: 'auto' }) }, at(600 + i)), 'waiting')[0]);
    expect(waiting.map((w) => w.position)).toEqual([1, 2, 3]);
    // 4 assignments over 602 s: about 150 s per position.
    expect(waiting.map((w) => w.expectedWaitSeconds)).toEqual([150, 301, 452]);
    expect(waiting[2].explanation[1]).toMatch(/position 3 of 3 in 'auto'; 4 assignments in the last 10m/);
    const list = engine.waitingList('auto', at(700));
    expect(list.map((p) => [p.ticketId, p.position])).toEqual([
      ['x1', 1],
      ['x2', 2],
      ['x3', 3],
    ]);
    expect(engine.queuePosition('x2', at(700))).toMatchObject({ position: 2, waiting: 3 });
  });

  it('orders a queue by priority then age, or by age alone', () => {
    engine.apply({ type: 'agent', agent: agent('a1', { capacity: { chat: 0 } }) }, at(0));
    engine.apply({ type: 'arrival', ticketId: 'low', attributes: ticket({ customerTier: 'auto' }) }, at(1));
    engine.apply({ type: 'arrival', ticketId: 'urgent', attributes: ticket({ customerTier: 'auto', urgency: ['money_lost'] }) }, at(2));
    engine.apply({ type: 'arrival', ticketId: 'f-low', attributes: ticket({ customerTier: 'fifo' }) }, at(3));
    engine.apply({ type: 'arrival', ticketId: 'f-urgent', attributes: ticket({ customerTier: 'fifo', urgency: ['money_lost'] }) }, at(4));
    expect(engine.waitingList('auto', at(5)).map((p) => p.ticketId)).toEqual(['low', 'urgent']);
    expect(engine.waitingList('fifo', at(5)).map((p) => p.ticketId)).toEqual(['f-low', 'f-urgent']);
    // The simple workflow has no urgency boost, so both have priority 10: age decides in both.
    const boosted = new RoutingEngine(parseWorkflow(SIMPLE.replace('version: 1', 'version: 1\nurgencyBoost: 20')));
    boosted.apply({ type: 'arrival', ticketId: 'low', attributes: ticket({ customerTier: 'auto' }) }, at(1));
    boosted.apply({ type: 'arrival', ticketId: 'urgent', attributes: ticket({ customerTier: 'auto', urgency: ['money_lost'] }) }, at(2));
    boosted.apply({ type: 'arrival', ticketId: 'f-low', attributes: ticket({ customerTier: 'fifo' }) }, at(3));
    boosted.apply({ type: 'arrival', ticketId: 'f-urgent', attributes: ticket({ customerTier: 'fifo', urgency: ['money_lost'] }) }, at(4));
    expect(boosted.waitingList('auto', at(5)).map((p) => p.ticketId)).toEqual(['urgent', 'low']);
    expect(boosted.waitingList('fifo', at(5)).map((p) => p.ticketId)).toEqual(['f-low', 'f-urgent']);
    const d = boosted.apply({ type: 'agent', agent: agent('a1', { capacity: { chat: 1 } }) }, at(6));
    expect(of(d, 'assigned')).toMatchObject([{ ticketId: 'urgent' }]);
  });

  it('offers, and on reject or no answer offers to the next agent; unanswered offers set the agent away', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'agent', agent: agent('a2') }, at(0));
    const offered = engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket() }, at(1));
    expect(of(offered, 'offered')).toMatchObject([{ ticketId: 't1', agentId: 'a1', expiresAt: at(31) }]);
    const rejected = engine.apply({ type: 'reject', ticketId: 't1', agentId: 'a1', reason: 'busy' }, at(5));
    expect(rejected.map((d) => [d.type, 'agentId' in d ? d.agentId : ''])).toEqual([
      ['offerWithdrawn', 'a1'],
      ['offered', 'a2'],
    ]);
    expect(of(rejected, 'offered')[0].explanation.join('\n')).toMatch(/passed over a1: turned this ticket down/);
    // a2 does not answer: at 35 s the offer times out and nobody else is left.
    const timedOut = engine.apply({ type: 'tick' }, at(40));
    expect(timedOut.map((d) => d.type)).toEqual(['offerWithdrawn', 'waiting']);
    expect(of(timedOut, 'offerWithdrawn')[0]).toMatchObject({ agentId: 'a2', reason: 'timed-out', at: at(35) });
    expect(of(timedOut, 'waiting')[0].reason).toMatch(/turned this ticket down/);
    // A second ticket: a2 misses that one too and is set away.
    engine.apply({ type: 'arrival', ticketId: 't2', attributes: ticket() }, at(50));
    expect(engine.ticket('t2')).toMatchObject({ status: 'offered', agentId: 'a1' });
    engine.apply({ type: 'offerTimeout', ticketId: 't2', agentId: 'a1' }, at(80));
    expect(engine.ticket('t2')).toMatchObject({ status: 'offered', agentId: 'a2' });
    const away = engine.apply({ type: 'tick' }, at(200));
    expect(of(away, 'presenceChanged')).toMatchObject([{ agentId: 'a2', presence: 'away' }]);
    expect(engine.agent('a2')?.presence).toBe('away');
    // t1 and t2 wait with their age: an agent who comes later takes the older first.
    const later = engine.apply({ type: 'agent', agent: agent('a3') }, at(300));
    expect(of(later, 'offered').map((d) => d.ticketId)).toEqual(['t1', 't2']);
  });

  it('ignores answers to offers that are no longer open', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket() }, at(1));
    engine.apply({ type: 'tick' }, at(60));
    expect(engine.apply({ type: 'accept', ticketId: 't1', agentId: 'a1' }, at(61))).toMatchObject([{ type: 'ignored', event: 'accept' }]);
  });

  it('returns tickets to the queue with their age when the agent goes offline', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'arrival', ticketId: 'old', attributes: ticket({ customerTier: 'auto' }) }, at(10));
    engine.apply({ type: 'arrival', ticketId: 'b2', attributes: ticket({ customerTier: 'auto' }) }, at(11));
    engine.apply({ type: 'arrival', ticketId: 'b3', attributes: ticket({ customerTier: 'auto' }) }, at(12));
    engine.apply({ type: 'agent', agent: agent('a2', { capacity: { chat: 1 } }) }, at(20));
    engine.apply({ type: 'arrival', ticketId: 'blocker', attributes: ticket({ customerTier: 'auto' }) }, at(21));
    engine.apply({ type: 'arrival', ticketId: 'new', attributes: ticket({ customerTier: 'auto' }) }, at(30));
    expect(engine.ticket('old')?.agentId).toBe('a1');
    expect(engine.ticket('new')?.status).toBe('waiting');
    const offline = engine.apply({ type: 'presence', agentId: 'a1', presence: 'offline' }, at(100));
    expect(of(offline, 'unassigned').map((d) => d.ticketId).sort()).toEqual(['b2', 'b3', 'old']);
    expect(engine.ticket('old')).toMatchObject({ status: 'waiting', queuedAt: at(10), previousAgentId: 'a1' });
    expect(engine.waitingList('auto', at(100)).map((p) => p.ticketId)).toEqual(['old', 'b2', 'b3', 'new']);
    const freed = engine.apply({ type: 'resolve', ticketId: 'blocker' }, at(110));
    expect(of(freed, 'assigned')).toMatchObject([{ ticketId: 'old', agentId: 'a2', waitedSeconds: 100 }]);
  });

  it('reassigns when the first-response SLA is breached, after raising priority on the warning', () => {
    engine.apply({ type: 'agent', agent: agent('a1', { skills: ['expert'], level: 2 }) }, at(0));
    const routed = engine.apply({ type: 'arrival', ticketId: 's1', attributes: ticket({ category: 'account_security' }) }, at(0));
    expect(of(routed, 'assigned')).toMatchObject([{ agentId: 'a1' }]);
    engine.apply({ type: 'agent', agent: agent('a2', { skills: ['expert'], level: 3 }) }, at(10));
    const warning = engine.apply({ type: 'tick' }, at(250));
    expect(warning.map((d) => d.type)).toEqual(['slaWarning', 'priorityChanged']);
    expect(of(warning, 'priorityChanged')[0]).toMatchObject({ from: 50, to: 75, at: at(240) });
    const breach = engine.apply({ type: 'tick' }, at(301));
    expect(breach.map((d) => d.type)).toEqual(['slaBreached', 'unassigned', 'routed', 'alert', 'assigned']);
    // Step 1 had timed out long ago, so back in the queue it moves on to step 2.
    expect(of(breach, 'routed')[0]).toMatchObject({ step: 1, cause: 'step-timeout' });
    expect(of(breach, 'assigned')[0]).toMatchObject({ ticketId: 's1', agentId: 'a2' });
    expect(of(breach, 'assigned')[0].explanation.join('\n')).toMatch(/passed over a1: turned this ticket down/);
    expect(of(breach, 'slaBreached')[0].explanation).toEqual([
      "first-response target of policy 'security' breached (due 0s ago)",
      'ticket is assigned with a1',
      'reassign: taken from a1',
      'alert-supervisors: sent',
    ]);
    expect(engine.ticket('s1')?.escalations).toEqual(['first-response breached (security)']);
    // A first response stops the clock: no breach for a ticket answered in time.
    engine.apply({ type: 'arrival', ticketId: 's2', attributes: ticket({ category: 'account_security' }) }, at(400));
    expect(of(engine.apply({ type: 'respond', ticketId: 's2' }, at(420)), 'responded')[0].explanation[0]).toMatch(/met with 4m 40s to spare/);
    expect(engine.apply({ type: 'tick' }, at(2000))).toEqual([]);
  });

  it('moves a waiting ticket to the overflow queue when its SLA is breached', () => {
    engine.apply({ type: 'arrival', ticketId: 'r1', attributes: ticket({ category: 'refund' }) }, at(0));
    const breach = engine.apply({ type: 'tick' }, at(600));
    expect(breach.map((d) => d.type)).toEqual(['slaWarning', 'slaBreached', 'routed', 'alert', 'waiting']);
    expect(of(breach, 'routed')[0]).toMatchObject({ queue: 'overflow', cause: 'escalation' });
    expect(engine.ticket('r1')).toMatchObject({ queue: 'overflow', queuedAt: at(0) });
  });

  it('moves to the next target when a step times out', () => {
    engine.apply({ type: 'agent', agent: agent('junior', { skills: ['expert'], level: 1 }) }, at(0));
    engine.apply({ type: 'agent', agent: agent('busy-senior', { skills: ['expert'], level: 3, capacity: { chat: 0 } }) }, at(0));
    const first = engine.apply({ type: 'arrival', ticketId: 's1', attributes: ticket({ category: 'account_security' }) }, at(0));
    expect(of(first, 'waiting')[0].reason).toMatch(/passed over 1 free agent not matching: junior \(worker expression: `level >= 2` is false \(level is 1\)\)/);
    expect(of(first, 'waiting')[0].reason).toMatch(/1 available agent at chat capacity/);
    const timeout = engine.apply({ type: 'tick' }, at(61));
    expect(timeout.map((d) => d.type)).toEqual(['routed', 'assigned']);
    expect(of(timeout, 'routed')[0]).toMatchObject({ step: 1, cause: 'step-timeout', at: at(60) });
    expect(of(timeout, 'assigned')[0]).toMatchObject({ agentId: 'junior' });
  });

  it('sends a reopened ticket back to its previous agent only if that agent is available', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'agent', agent: agent('a2') }, at(0));
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket({ customerTier: 'auto' }) }, at(1));
    engine.apply({ type: 'resolve', ticketId: 't1' }, at(100));
    let reopened = engine.apply({ type: 'reopen', ticketId: 't1' }, at(200));
    expect(of(reopened, 'assigned')).toMatchObject([{ agentId: 'a1' }]);
    expect(of(reopened, 'assigned')[0].explanation[0]).toMatch(/back to the previous agent a1/);
    engine.apply({ type: 'resolve', ticketId: 't1' }, at(300));
    engine.apply({ type: 'presence', agentId: 'a1', presence: 'offline' }, at(310));
    reopened = engine.apply({ type: 'reopen', ticketId: 't1' }, at(400));
    expect(of(reopened, 'routed')[0].explanation[0]).toMatch(/previous agent a1 is offline/);
    expect(of(reopened, 'assigned')).toMatchObject([{ agentId: 'a2' }]);
    expect(of(reopened, 'offered').concat(of(reopened, 'assigned') as never[]).every((d) => d.agentId !== 'a1')).toBe(true);
  });

  it('transfers to an agent, to a queue, or through the workflow again', () => {
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'agent', agent: agent('a2', { presence: 'away' }) }, at(0));
    engine.apply({ type: 'agent', agent: agent('x1', { skills: ['expert'], level: 2 }) }, at(0));
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket({ customerTier: 'auto' }) }, at(1));
    const first = engine.ticket('t1')?.agentId;
    expect(first).toBeDefined();
    const other = first === 'a1' ? 'x1' : 'a1';
    expect(engine.apply({ type: 'transfer', ticketId: 't1', to: { kind: 'agent', agentId: 'a2' } }, at(2))).toMatchObject([{ type: 'transferRefused', reason: 'a2 is away' }]);
    const toAgent = engine.apply({ type: 'transfer', ticketId: 't1', to: { kind: 'agent', agentId: other } }, at(3));
    expect(toAgent.map((d) => d.type)).toEqual(['unassigned', 'assigned']);
    expect(engine.ticket('t1')).toMatchObject({ agentId: other, previousAgentId: first });
    const toQueue = engine.apply({ type: 'transfer', ticketId: 't1', to: { kind: 'queue', queue: 'fifo', priority: 70 } }, at(4));
    expect(of(toQueue, 'routed')).toMatchObject([{ queue: 'fifo', priority: 70, cause: 'transfer' }]);
    // Triage sets the category: the workflow runs again and the ticket keeps its age.
    engine.apply({ type: 'resolve', ticketId: 't1' }, at(5));
    engine.apply({ type: 'arrival', ticketId: 't2', attributes: ticket({ confidence: 0.1 }) }, at(6));
    const rerun = engine.apply({ type: 'transfer', ticketId: 't2', to: { kind: 'workflow', attributes: { category: 'account_security', confidence: 1 } } }, at(7));
    expect(of(rerun, 'routed')[0]).toMatchObject({ queue: 'experts', filter: 'experts', cause: 'workflow' });
    expect(of(rerun, 'assigned')).toMatchObject([{ agentId: 'x1', waitedSeconds: 1 }]);
    expect(engine.ticket('t2')?.slaPolicy).toBe('security');
  });

  it('sends tickets only to queue members and explains who was passed over', () => {
    engine.apply({ type: 'agent', agent: agent('novice', { level: 5 }) }, at(0));
    const d = engine.apply({ type: 'arrival', ticketId: 's1', attributes: ticket({ category: 'account_security', language: 'id' }) }, at(1));
    expect(of(d, 'waiting')[0].reason).toMatch(/novice \(not a member of 'experts': `'expert' in skills` is false \(skills is \[\]\)\)/);
    const joined = engine.apply({ type: 'agent', agent: agent('expert', { skills: ['expert'], level: 2, languages: ['en', 'id'] }) }, at(2));
    expect(of(joined, 'assigned')).toMatchObject([{ ticketId: 's1', agentId: 'expert' }]);
  });
});

describe('RoutingEngine timers and capacity', () => {
  it('says when the next timer is due and runs it on tick', () => {
    const engine = new RoutingEngine(parseWorkflow(SIMPLE));
    expect(engine.nextTimerAt()).toBeUndefined();
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket() }, at(5));
    expect(engine.nextTimerAt()).toBe(at(35));
    expect(engine.apply({ type: 'tick' }, at(34))).toEqual([]);
    expect(engine.apply({ type: 'tick' }, at(35)).map((d) => d.type)).toEqual(['offerWithdrawn', 'waiting']);
  });

  it('takes no new work beyond a lowered capacity and fills a raised one at once', () => {
    const engine = new RoutingEngine(parseWorkflow(SIMPLE));
    engine.apply({ type: 'agent', agent: agent('a1') }, at(0));
    for (let i = 0; i < 3; i++) engine.apply({ type: 'arrival', ticketId: `t${i}`, attributes: ticket({ customerTier: 'auto' }) }, at(i));
    engine.apply({ type: 'capacityChange', agentId: 'a1', capacity: { chat: 1 } }, at(10));
    expect(engine.agent('a1')?.load.chat).toBe(3);
    engine.apply({ type: 'resolve', ticketId: 't0' }, at(11));
    engine.apply({ type: 'arrival', ticketId: 't3', attributes: ticket({ customerTier: 'auto' }) }, at(12));
    expect(engine.ticket('t3')?.status).toBe('waiting');
    const raised = engine.apply({ type: 'capacityChange', agentId: 'a1', capacity: { chat: 4 } }, at(13));
    expect(of(raised, 'assigned')).toMatchObject([{ ticketId: 't3', agentId: 'a1' }]);
  });

  it('moves a waiting ticket to its next target on an SLA breach and explains skipped actions', () => {
    const engine = new RoutingEngine(
      parseWorkflow(`
version: 1
queues: [{ id: first, name: First }, { id: second, name: Second }]
filters: []
default: { name: all, targets: [{ queue: first, priority: 10 }, { queue: second, priority: 20 }] }
sla: [{ name: all, firstResponseSeconds: 60, onBreach: [{ action: next-target }, { action: next-target }, { action: reassign }, { action: overflow }] }]
`),
    );
    engine.apply({ type: 'arrival', ticketId: 't1', attributes: ticket() }, at(0));
    const breach = engine.apply({ type: 'tick' }, at(60));
    expect(of(breach, 'routed')).toMatchObject([{ queue: 'second', priority: 20, step: 1, cause: 'escalation' }]);
    expect(of(breach, 'slaBreached')[0].explanation.slice(2)).toEqual([
      "next-target: step 2, queue 'second'",
      'next-target skipped: already at the last target',
      'reassign skipped: ticket is waiting, not with an agent',
      "overflow skipped: queue 'second' has no overflow queue",
    ]);
  });
});

describe('RoutingEngine with the default workflow', () => {
  it('routes by category to the skilled team and raises urgent tickets', () => {
    const engine = new RoutingEngine(parseWorkflow(DEFAULT_WORKFLOW_YAML));
    engine.apply({ type: 'agent', agent: agent('pay', { skills: ['payments'], languages: ['en', 'id'] }) }, at(0));
    engine.apply({ type: 'agent', agent: agent('tns', { skills: ['trust-and-safety'], level: 3, languages: ['en'] }) }, at(0));
    const pay = engine.apply({ type: 'arrival', ticketId: 'p1', attributes: ticket({ category: 'transaction_failed', language: 'id' }) }, at(1));
    expect(of(pay, 'offered')).toMatchObject([{ agentId: 'pay', queue: 'payments' }]);
    const sec = engine.apply({ type: 'arrival', ticketId: 's1', attributes: ticket({ category: 'account_security', urgency: ['takeover_in_progress'] }) }, at(2));
    expect(of(sec, 'routed')[0]).toMatchObject({ queue: 'trust-and-safety', priority: 120 });
    expect(of(sec, 'offered')).toMatchObject([{ agentId: 'tns', expiresAt: at(22) }]);
  });
});
