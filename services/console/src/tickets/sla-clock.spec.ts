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
