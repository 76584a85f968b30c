import { TicketAttributes } from '../attributes';
import { parseWorkflow } from '../workflow';
import { Decision, DecisionOf } from './model';
import { RoutingEngine } from './routing-engine';

// Monday 30 Nov 2026 10:00 WIB (03:00Z).
const T0 = Date.UTC(2026, 10, 30, 3, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;

const WORKFLOW = `
version: 1
queues:
  - { id: support, name: Support, offerTimeoutSeconds: 30 }
  - id: office
    name: Office hours
    autoAccept: true
    hours: { timezone: Asia/Jakarta, weekly: { mon: '08:00-17:00', tue: '08:00-17:00', wed: '08:00-17:00', thu: '08:00-17:00', fri: '08:00-17:00' } }
  - { id: later, name: Later }
filters:
  - name: office
    when: "customerTier == 'office'"
    targets: [{ queue: office, priority: 10 }]
  - name: stepped
    when: "customerTier == 'stepped'"
    targets: [{ queue: support, priority: 20, timeoutSeconds: 120 }, { queue: later, priority: 20 }]
default: { name: default, targets: [{ queue: support, priority: 10 }] }
sla:
  - name: office
    when: "queue == 'office'"
    firstResponseSeconds: 7200
    warnBeforeSeconds: 600
  - name: standard
    firstResponseSeconds: 600
    warnBeforeSeconds: 120
`;

const ticket = (over: Partial<TicketAttributes> = {}): TicketAttributes => ({ category: 'other', confidence: 0.9, language: 'en', channel: 'inapp', urgency: [], ...over });
const of = <T extends Decision['type']>(decisions: Decision[], type: T): DecisionOf<T>[] => decisions.filter((d): d is DecisionOf<T> => d.type === type);

describe('RoutingEngine restore: a rebuilt engine keeps clocks and places', () => {
  it('keeps the SLA due time of the stored arrival: a breach due before the rebuild is decided at once, not 10 minutes later', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    const now = at(650);
    engine.apply({ type: 'restore', ticketId: 't1', attributes: ticket(), stored: { createdAt: at(0), queuedAt: at(0), queue: 'support', filter: 'default', step: 0, priority: 10, slaFired: ['first-response-warning'] } }, now);
    expect(engine.ticket('t1')).toMatchObject({ status: 'waiting', firstResponseDueAt: at(600) });
    const decisions = engine.apply({ type: 'tick' }, now);
    expect(of(decisions, 'slaBreached')).toEqual([expect.objectContaining({ ticketId: 't1', target: 'first-response', dueAt: at(600) })]);
    // The warning was decided by the old holder: not again.
    expect(of(decisions, 'slaWarning')).toEqual([]);
  });

  it('neither repeats a breach already decided nor misses a warning the old holder never gave', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    engine.apply({ type: 'restore', ticketId: 'done', attributes: ticket(), stored: { createdAt: at(0), queuedAt: at(0), slaFired: ['first-response-warning', 'first-response-breach'] } }, at(650));
    // Warning due at 580, breach at 700: the rebuild at 650 gives the warning now.
    engine.apply({ type: 'restore', ticketId: 'late', attributes: ticket(), stored: { createdAt: at(100), queuedAt: at(100) } }, at(650));
    const decisions = engine.apply({ type: 'tick' }, at(650));
    expect(decisions.filter((d) => d.type === 'slaWarning' || d.type === 'slaBreached').map((d) => [d.type, 'ticketId' in d && d.ticketId])).toEqual([['slaWarning', 'late']]);
    expect(engine.nextTimerAt()).toBe(at(700));
  });

  it('keeps an open offer until its stored expiry, and a ticket’s age in the queue', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    engine.apply({ type: 'agent', agent: { id: 'ana' } }, at(0));
    engine.apply({ type: 'restore', ticketId: 'old', attributes: ticket(), stored: { createdAt: at(0), queuedAt: at(0), queue: 'support', filter: 'default', step: 0, priority: 10 } }, at(50));
    engine.apply({ type: 'restore', ticketId: 'offered', attributes: ticket(), stored: { createdAt: at(10), queuedAt: at(10), queue: 'support', filter: 'default', step: 0, priority: 10, holder: { agentId: 'ana', state: 'offered', offerExpiresAt: at(55) } } }, at(50));
    expect(engine.ticket('offered')).toMatchObject({ status: 'offered', agentId: 'ana' });
    expect(engine.nextTimerAt()).toBe(at(55));
    engine.apply({ type: 'presence', agentId: 'ana', presence: 'available' }, at(50));
    const decisions = engine.apply({ type: 'tick' }, at(55));
    expect(of(decisions, 'offerWithdrawn')).toEqual([expect.objectContaining({ ticketId: 'offered', reason: 'timed-out', at: at(55) })]);
    // ana turned 'offered' down by not answering, and 'old' is older anyway.
    expect(engine.ticket('old')).toMatchObject({ status: 'offered', agentId: 'ana', queuedAt: at(0) });
  });

  it('keeps a ticket in the queue it was moved to, and runs a step timeout from the stored step start', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    engine.apply({ type: 'restore', ticketId: 'moved', attributes: ticket(), stored: { createdAt: at(0), queuedAt: at(0), queue: 'later', filter: 'transfer', step: 0, priority: 70 } }, at(200));
    expect(engine.ticket('moved')).toMatchObject({ queue: 'later', priority: 70, filter: 'transfer' });
    engine.apply({ type: 'restore', ticketId: 's', attributes: ticket({ customerTier: 'stepped' }), stored: { createdAt: at(0), queuedAt: at(0), queue: 'support', filter: 'stepped', step: 0, priority: 20, stepEnteredAt: at(100) } }, at(200));
    expect(engine.nextTimerAt()).toBe(at(220));
    const decisions = engine.apply({ type: 'tick' }, at(220));
    expect(of(decisions, 'routed')).toEqual([expect.objectContaining({ ticketId: 's', queue: 'later', cause: 'step-timeout' })]);
  });

  it('sends a ticket whose queue the new workflow dropped through the new workflow, keeping its age', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    const decisions = engine.apply({ type: 'restore', ticketId: 'orphan', attributes: ticket(), stored: { createdAt: at(0), queuedAt: at(0), queue: 'gone', filter: 'old', step: 0, priority: 99 } }, at(30));
    expect(of(decisions, 'routed')).toEqual([expect.objectContaining({ ticketId: 'orphan', queue: 'support', cause: 'workflow', explanation: expect.arrayContaining([expect.stringMatching(/'gone' is not in the workflow any more/)]) })]);
    expect(engine.ticket('orphan')).toMatchObject({ queue: 'support', priority: 10, queuedAt: at(0) });
  });
});

describe('RoutingEngine business hours', () => {
  it('runs the SLA clock only while the queue is open, and says when a closed queue opens', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    // Friday 27 Nov, 16:00 WIB: one hour left that day, so a 2 h target falls on Monday at 09:00.
    const friday = Date.UTC(2026, 10, 27, 9, 0, 0);
    engine.apply({ type: 'arrival', ticketId: 'fri', attributes: ticket({ customerTier: 'office' }) }, friday);
    expect(engine.ticket('fri')?.firstResponseDueAt).toBe(Date.UTC(2026, 10, 30, 2, 0, 0));
    // Saturday: closed until Monday 08:00 WIB.
    const saturday = Date.UTC(2026, 10, 28, 5, 0, 0);
    const decisions = engine.apply({ type: 'arrival', ticketId: 'sat', attributes: ticket({ customerTier: 'office' }) }, saturday);
    const waiting = of(decisions, 'waiting')[0];
    expect(waiting.expectedWaitSeconds).toBe((Date.UTC(2026, 10, 30, 1, 0, 0) - saturday) / 1000);
    expect(waiting.explanation.join(' ')).toMatch(/closed, opens in 44\.0h/);
    expect(engine.ticket('sat')?.firstResponseDueAt).toBe(Date.UTC(2026, 10, 30, 3, 0, 0));
    // No warning or breach over the weekend.
    expect(of(engine.apply({ type: 'tick' }, Date.UTC(2026, 10, 29, 23, 0, 0)), 'slaBreached')).toEqual([]);
  });
});
