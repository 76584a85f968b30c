import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { slaClock, SlaTicketFields } from './sla-clock';

const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
const opened = new Date('2026-01-01T10:00:00Z');
const ticket = (over: Partial<SlaTicketFields> = {}): SlaTicketFields => ({
  category: 'login',
  confidence: 0.9,
  triage: false,
  language: 'en',
  channel: 'inapp',
  urgency: [],
  queue: 'account-access',
  priority: 50,
  status: 'open',
  openedAt: opened,
  ...over,
});
const at = (seconds: number) => new Date(opened.getTime() + seconds * 1000);

describe('slaClock', () => {
  it('runs the first-response clock of the first matching policy while the ticket waits', () => {
    expect(slaClock(workflow, ticket(), at(60))).toEqual({ policy: 'standard', target: 'first-response', dueAt: '2026-01-01T11:00:00.000Z', secondsLeft: 3540, state: 'ok' });
  });

  it('is at risk in the warning window and breached after the target', () => {
    // trust-and-safety: 300 s first response, warned 120 s before.
    const security = ticket({ category: 'account_security', queue: 'trust-and-safety', priority: 100 });
    expect(slaClock(workflow, security, at(170)).state).toBe('ok');
    expect(slaClock(workflow, security, at(200)).state).toBe('at_risk');
    expect(slaClock(workflow, security, at(301)).state).toBe('breached');
  });

  it('runs the resolution clock once an agent holds the ticket, and none once resolved', () => {
    expect(slaClock(workflow, ticket({ assigneeId: 'putri', status: 'assigned' }), at(60))).toMatchObject({ target: 'resolution', secondsLeft: 172_740 });
    expect(slaClock(workflow, ticket({ status: 'resolved' }), at(60))).toEqual({ state: 'none' });
  });
});

describe('slaClock of a ticket waiting for the customer', () => {
  const assigned = (over: Partial<SlaTicketFields> = {}) => ticket({ assigneeId: 'putri', status: 'assigned', ...over });
  // standard: resolution in 172 800 s.

  it('is paused while pending, the time left frozen at when the wait began', () => {
    const pending = assigned({ status: 'pending', slaPausedAt: at(100) });
    const clock = slaClock(workflow, pending, at(500_000));
    expect(clock).toEqual({ policy: 'standard', target: 'resolution', secondsLeft: 172_700, pausedAt: at(100).toISOString(), state: 'paused' });
    expect(slaClock(workflow, pending, at(900_000))).toEqual(clock);
  });

  it('counts earlier waits once the customer wrote again: the due time is later by them', () => {
    const active = assigned({ slaPauses: [{ from: at(100).toISOString(), to: at(3_700).toISOString() }] });
    expect(slaClock(workflow, active, at(172_800))).toMatchObject({ dueAt: at(176_400).toISOString(), secondsLeft: 3_600, state: 'at_risk' });
    expect(slaClock(workflow, active, at(176_401)).state).toBe('breached');
    // Without the wait it would have breached already.
    expect(slaClock(workflow, assigned(), at(172_801)).state).toBe('breached');
  });

  it('adds the earlier waits to a paused clock too, and is paused even when the wait began after the target', () => {
    expect(slaClock(workflow, assigned({ slaPauses: [{ from: at(0), to: at(1_000) }], slaPausedAt: at(2_000) }), at(9_000))).toMatchObject({ secondsLeft: 171_800, state: 'paused' });
    expect(slaClock(workflow, assigned({ slaPausedAt: at(172_900) }), at(200_000))).toMatchObject({ secondsLeft: -100, state: 'paused' });
  });
});
