import { TicketAttributes } from '../attributes';
import { parseWorkflow } from '../workflow';
import { Decision, DecisionOf, StoredRouting } from './model';
import { RoutingEngine } from './routing-engine';

// Monday 30 Nov 2026 10:00 WIB (03:00Z).
const T0 = Date.UTC(2026, 10, 30, 3, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;
const HOUR = 3600;

const WORKFLOW = `
version: 1
queues:
  - { id: support, name: Support }
  - id: office
    name: Office hours
    hours: { timezone: Asia/Jakarta, weekly: { mon: '08:00-17:00', tue: '08:00-17:00', wed: '08:00-17:00', thu: '08:00-17:00', fri: '08:00-17:00' } }
filters:
  - name: office
    when: "customerTier == 'office'"
    targets: [{ queue: office, priority: 10 }]
default: { name: default, targets: [{ queue: support, priority: 10 }] }
sla:
  - name: office
    when: "queue == 'office'"
    resolutionSeconds: 7200
    warnBeforeSeconds: 600
  - name: standard
    firstResponseSeconds: 600
    warnBeforeSeconds: 100
    resolutionSeconds: 1000
    onBreach: [{ action: alert-supervisors }]
`;

const ticket = (over: Partial<TicketAttributes> = {}): TicketAttributes => ({ category: 'other', confidence: 0.9, language: 'en', channel: 'inapp', urgency: [], ...over });
const of = <T extends Decision['type']>(decisions: Decision[], type: T): DecisionOf<T>[] => decisions.filter((d): d is DecisionOf<T> => d.type === type);
const slaDecisions = (decisions: Decision[]) => decisions.filter((d) => d.type === 'slaWarning' || d.type === 'slaBreached' || d.type === 'alert');

function engineWith(attributes = ticket()): RoutingEngine {
  const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
  engine.apply({ type: 'arrival', ticketId: 't1', attributes }, at(0));
  return engine;
}

describe('RoutingEngine: SLA clocks stop while the ticket waits for the customer', () => {
  it('decides no warning or breach while pending, and breaches at the due time moved later by the pause once the customer writes', () => {
    const engine = engineWith();
    engine.apply({ type: 'respond', ticketId: 't1' }, at(50));
    const paused = engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(100));
    expect(of(paused, 'slaPaused')).toEqual([expect.objectContaining({ ticketId: 't1', policy: 'standard' })]);
    expect(paused[0].explanation.join(' ')).toContain('paused while waiting for the customer');
    expect(paused[0].explanation.join(' ')).toContain('resolution due in 15m');
    expect(engine.nextTimerAt()).toBeUndefined();
    // Long past the unpaused due time (1000 s): nothing.
    expect(slaDecisions(engine.apply({ type: 'tick' }, at(2000)))).toEqual([]);

    const resumed = engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(2100));
    // 2000 s paused: resolution due at 1000 + 2000, its warning 100 s before.
    expect(of(resumed, 'slaResumed')).toEqual([expect.objectContaining({ ticketId: 't1', pausedMs: 2000_000, resolutionDueAt: at(3000) })]);
    expect(resumed[0].explanation[0]).toContain('paused while waiting for the customer');
    expect(engine.ticket('t1')).toMatchObject({ resolutionDueAt: at(3000), slaPausedAt: undefined, slaPauses: [{ from: at(100), to: at(2100) }] });
    expect(slaDecisions(engine.apply({ type: 'tick' }, at(2899)))).toEqual([]);
    expect(of(engine.apply({ type: 'tick' }, at(2950)), 'slaWarning')).toEqual([expect.objectContaining({ target: 'resolution', at: at(2900), dueAt: at(3000) })]);
    const breach = engine.apply({ type: 'tick' }, at(3000));
    expect(of(breach, 'slaBreached')).toEqual([expect.objectContaining({ target: 'resolution', at: at(3000), dueAt: at(3000) })]);
    expect(of(breach, 'slaBreached')[0].explanation.join(' ')).toContain('33m 20s later for the time paused while waiting for the customer');
  });

  it('pauses the first-response clock too: a ticket set pending before any reply is not breached while the customer is away', () => {
    const engine = engineWith();
    engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(300));
    expect(slaDecisions(engine.apply({ type: 'tick' }, at(1250)))).toEqual([]);
    const resumed = engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(1300));
    expect(of(resumed, 'slaResumed')[0]).toMatchObject({ firstResponseDueAt: at(1600), resolutionDueAt: at(2000) });
    expect(of(engine.apply({ type: 'tick' }, at(1600)), 'slaBreached')).toEqual([expect.objectContaining({ target: 'first-response', dueAt: at(1600) })]);
  });

  it('adds up several pauses and never gives a warning twice', () => {
    const engine = engineWith();
    engine.apply({ type: 'respond', ticketId: 't1' }, at(10));
    expect(of(engine.apply({ type: 'tick' }, at(900)), 'slaWarning')).toHaveLength(1);
    engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(950));
    engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(1050));
    // Due at 1100 after the first pause: set pending again just before.
    engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(1090));
    const resumed = engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(1300));
    expect(of(resumed, 'slaResumed')[0]).toMatchObject({ pausedMs: 210_000, resolutionDueAt: at(1310) });
    const rest = engine.apply({ type: 'tick' }, at(5000));
    expect(rest.filter((d) => d.type === 'slaWarning' || d.type === 'slaBreached').map((d) => [d.type, d.at])).toEqual([['slaBreached', at(1310)]]);
  });

  it('takes the pause from when the ticket was set pending when the engine hears of it later (never later than now)', () => {
    const engine = engineWith();
    engine.apply({ type: 'respond', ticketId: 't1' }, at(10));
    engine.apply({ type: 'ticketPending', ticketId: 't1', at: at(400) }, at(401));
    expect(engine.ticket('t1')?.slaPausedAt).toBe(at(400));
    engine.apply({ type: 'ticketResumed', ticketId: 't1', at: at(600) }, at(601));
    expect(engine.ticket('t1')?.resolutionDueAt).toBe(at(1200));
    // A time from the future is taken as now.
    engine.apply({ type: 'ticketPending', ticketId: 't1', at: at(9999) }, at(700));
    expect(engine.ticket('t1')?.slaPausedAt).toBe(at(700));
  });

  it('counts only the open hours of the pause when the policy counts business hours', () => {
    const engine = engineWith(ticket({ customerTier: 'office' }));
    // Pending Monday 10:30 WIB, the customer writes at 20:00 WIB: 6.5 open hours paused (10:30-17:00).
    engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(HOUR / 2));
    const resumed = engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(10 * HOUR));
    expect(of(resumed, 'slaResumed')[0].pausedMs).toBe(6.5 * HOUR * 1000);
    expect(resumed[0].explanation.join(' ')).toContain("business hours of 'office'");
    // 2 h target plus 6.5 h paused from Monday 10:00: 7 h on Monday, 1.5 h on Tuesday from 08:00.
    expect(engine.ticket('t1')?.resolutionDueAt).toBe(Date.UTC(2026, 11, 1, 2, 30));
  });

  it('ignores a second pending and a resume of a ticket not waiting; a reopening ends the wait and starts clean clocks', () => {
    const engine = engineWith();
    engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(100));
    expect(of(engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(200)), 'ignored')).toHaveLength(1);
    engine.apply({ type: 'resolve', ticketId: 't1' }, at(300));
    expect(of(engine.apply({ type: 'ticketPending', ticketId: 't1' }, at(310)), 'ignored')).toHaveLength(1);
    engine.apply({ type: 'reopen', ticketId: 't1' }, at(400));
    expect(engine.ticket('t1')).toMatchObject({ slaPausedAt: undefined, slaPauses: [], resolutionDueAt: at(1400) });
    expect(of(engine.apply({ type: 'ticketResumed', ticketId: 't1' }, at(500)), 'ignored')).toHaveLength(1);
    expect(of(engine.apply({ type: 'tick' }, at(1400)), 'slaBreached')).toEqual([expect.objectContaining({ target: 'resolution', dueAt: at(1400) })]);
  });

  it('keeps a pause across a rebuild: a ticket restored while pending has no timer, and resumes to the same due times as an engine that never stopped', () => {
    const live = engineWith();
    live.apply({ type: 'respond', ticketId: 't1' }, at(50));
    live.apply({ type: 'ticketPending', ticketId: 't1' }, at(100));
    live.apply({ type: 'ticketResumed', ticketId: 't1' }, at(300));
    live.apply({ type: 'ticketPending', ticketId: 't1' }, at(500));

    const stored: StoredRouting = { createdAt: at(0), queuedAt: at(0), queue: 'support', filter: 'default', step: 0, priority: 10, firstRespondedAt: at(50), slaPausedAt: at(500), slaPauses: [{ from: at(100), to: at(300) }] };
    const rebuilt = new RoutingEngine(parseWorkflow(WORKFLOW));
    rebuilt.apply({ type: 'restore', ticketId: 't1', attributes: ticket(), stored }, at(4000));
    expect(rebuilt.ticket('t1')?.slaPausedAt).toBe(at(500));
    expect(rebuilt.nextTimerAt()).toBeUndefined();
    expect(slaDecisions(rebuilt.apply({ type: 'tick' }, at(4500)))).toEqual([]);

    live.apply({ type: 'ticketResumed', ticketId: 't1' }, at(5000));
    rebuilt.apply({ type: 'ticketResumed', ticketId: 't1' }, at(5000));
    // 200 s + 4500 s paused.
    expect(rebuilt.ticket('t1')?.resolutionDueAt).toBe(at(5700));
    expect(rebuilt.ticket('t1')?.resolutionDueAt).toBe(live.ticket('t1')?.resolutionDueAt);
    expect(of(rebuilt.apply({ type: 'tick' }, at(5700)), 'slaBreached')).toEqual([expect.objectContaining({ dueAt: at(5700) })]);
  });

  it('on restore, drops pauses from before the clocks restarted at a reopening', () => {
    const engine = new RoutingEngine(parseWorkflow(WORKFLOW));
    const stored: StoredRouting = { createdAt: at(0), queuedAt: at(1000), reopenedAt: at(1000), slaPausedAt: at(500), slaPauses: [{ from: at(100), to: at(300) }] };
    engine.apply({ type: 'restore', ticketId: 't1', attributes: ticket(), stored }, at(1100));
    expect(engine.ticket('t1')).toMatchObject({ slaPausedAt: undefined, slaPauses: [], resolutionDueAt: at(2000) });
  });
});
