import { Workflow } from '@switchboard/routing';
import { slaClock, SlaTicketFields } from '../tickets/sla-clock';

export interface QueueTicket extends SlaTicketFields {
  expectedWaitSeconds?: number;
  assignment?: { state: 'offered' | 'assigned' } | null;
}

export interface QueueStats {
  queue: string;
  name: string;
  /** Not held by an agent (offers still count: the customer is still waiting). */
  waiting: number;
  assigned: number;
  longestWaitSeconds: number;
  /** The router's estimate for the ticket last in line; null when nobody waits or it has none. */
  expectedWaitSeconds: number | null;
  slaAtRisk: number;
  slaBreached: number;
}

/** Per queue of the workflow (and any queue a ticket sits in that the workflow no longer has), from the unresolved tickets. */
export function queueStats(workflow: Workflow, tickets: QueueTicket[], now: Date): QueueStats[] {
  const stats = new Map<string, QueueStats>();
  const entry = (queue: string) => {
    let s = stats.get(queue);
    if (!s) {
      s = { queue, name: workflow.queueById.get(queue)?.name ?? queue, waiting: 0, assigned: 0, longestWaitSeconds: 0, expectedWaitSeconds: null, slaAtRisk: 0, slaBreached: 0 };
      stats.set(queue, s);
    }
    return s;
  };
  for (const q of workflow.queues) entry(q.id);
  for (const t of tickets) {
    if (t.status === 'resolved') continue;
    const s = entry(t.queue);
    const held = t.assigneeId !== undefined || t.assignment?.state === 'assigned';
    if (held) s.assigned++;
    else {
      s.waiting++;
      s.longestWaitSeconds = Math.max(s.longestWaitSeconds, Math.max(0, Math.round((now.getTime() - t.openedAt.getTime()) / 1000)));
      if (t.expectedWaitSeconds !== undefined) s.expectedWaitSeconds = Math.max(s.expectedWaitSeconds ?? 0, Math.round(t.expectedWaitSeconds));
    }
    const sla = slaClock(workflow, t, now);
    if (sla.state === 'at_risk') s.slaAtRisk++;
    if (sla.state === 'breached') s.slaBreached++;
  }
  return [...stats.values()];
}
