import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { QueueTicket, queueStats } from './queue-stats';

const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
const now = new Date('2026-01-01T12:00:00Z');
const ticket = (over: Partial<QueueTicket>): QueueTicket => ({
  category: 'transaction_failed',
  confidence: 0.9,
  triage: false,
  language: 'id',
  channel: 'sms',
  urgency: [],
  queue: 'payments',
  priority: 60,
  status: 'open',
  openedAt: new Date(now.getTime() - 60_000),
  ...over,
});

describe('queueStats', () => {
  it('lists every queue of the workflow, empty ones included', () => {
    const stats = queueStats(workflow, [], now);
    expect(stats.map((s) => s.queue)).toEqual(['triage', 'trust-and-safety', 'account-access', 'payments', 'refunds', 'general']);
    expect(stats[0]).toEqual({ queue: 'triage', name: 'Triage', waiting: 0, assigned: 0, longestWaitSeconds: 0, expectedWaitSeconds: null, slaAtRisk: 0, slaBreached: 0 });
  });

  it('counts waiting (offers included) and held tickets, the longest wait, the last estimate and SLA states', () => {
    const stats = queueStats(
      workflow,
      [
        ticket({ openedAt: new Date(now.getTime() - 600_000), expectedWaitSeconds: 30 }),
        ticket({ assignment: { state: 'offered' }, expectedWaitSeconds: 90.4 }),
        ticket({ assigneeId: 'putri', status: 'assigned' }),
        // payments' first response is 1800 s: breached at 2000 s, at risk in its last fifth.
        ticket({ openedAt: new Date(now.getTime() - 2_000_000) }),
        ticket({ openedAt: new Date(now.getTime() - 1_500_000) }),
        ticket({ status: 'resolved' }),
        ticket({ queue: 'retired-queue' }),
      ],
      now,
    );
    const payments = stats.find((s) => s.queue === 'payments');
    expect(payments).toEqual({ queue: 'payments', name: 'Payments', waiting: 4, assigned: 1, longestWaitSeconds: 2000, expectedWaitSeconds: 90, slaAtRisk: 1, slaBreached: 1 });
    expect(stats.find((s) => s.queue === 'retired-queue')).toMatchObject({ name: 'retired-queue', waiting: 1 });
  });

  it('counts no ticket waiting for the customer as at risk or breached, however long it waits', () => {
    const longAgo = new Date(now.getTime() - 2_000_000);
    const stats = queueStats(workflow, [ticket({ openedAt: longAgo, status: 'pending', slaPausedAt: new Date(longAgo.getTime() + 1_000) }), ticket({ openedAt: new Date(now.getTime() - 1_500_000), status: 'pending', slaPausedAt: now })], now);
    expect(stats.find((s) => s.queue === 'payments')).toMatchObject({ waiting: 2, slaAtRisk: 0, slaBreached: 0 });
  });
});
