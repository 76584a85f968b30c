import { Category, Channel, Language, UrgencyFlag } from '@switchboard/contracts';
import { ticketBindings, Workflow } from '@switchboard/routing';

export interface SlaTicketFields {
  category: Category;
  confidence: number;
  triage: boolean;
  language: Language;
  channel: Channel;
  urgency: UrgencyFlag[];
  queue: string;
  priority: number;
  status: string;
  openedAt: Date;
  assigneeId?: string;
  /** Waiting for the customer since then (set pending): the clock stands still. */
  slaPausedAt?: Date | string;
  /** Earlier waits for the customer: the due time moves later by them. */
  slaPauses?: { from: Date | string; to: Date | string }[];
}

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'paused' | 'none';

export interface SlaClock {
  policy?: string;
  /** First response while nobody holds the ticket, resolution once an agent does. */
  target?: 'first-response' | 'resolution';
  /** Absent while paused: it depends on when the customer writes. */
  dueAt?: string;
  /** While paused, what was left when the wait began (frozen). */
  secondsLeft?: number;
  /** Since when the ticket waits for the customer (state `paused`). */
  pausedAt?: string;
  state: SlaState;
}

/** When no `warnBeforeSeconds` is set, the last fifth of the target counts as at risk. */
const DEFAULT_WARN_SHARE = 0.2;

/**
 * The ticket's SLA clock under the workflow's first matching policy, as the router's engine picks it.
 * While the ticket waits for the customer (set pending) the clock is paused, the time left frozen;
 * afterwards the due time is later by every wait. Counted around the clock (business hours are the
 * router's: its explanation has the exact due times).
 */
export function slaClock(workflow: Workflow, ticket: SlaTicketFields, now: Date): SlaClock {
  if (ticket.status === 'resolved') return { state: 'none' };
  const bindings = { ...ticketBindings({ ...ticket, triage: ticket.triage }, workflow.triageThreshold), queue: ticket.queue, priority: ticket.priority };
  const policy = workflow.sla.find((p) => !p.whenExpr || p.whenExpr.evaluate(bindings));
  if (!policy) return { state: 'none' };
  const waiting = !ticket.assigneeId;
  const target = waiting && policy.firstResponseSeconds !== undefined ? 'first-response' : policy.resolutionSeconds !== undefined ? 'resolution' : undefined;
  const seconds = target === 'first-response' ? policy.firstResponseSeconds : policy.resolutionSeconds;
  if (!target || seconds === undefined) return { policy: policy.name, state: 'none' };
  const opened = ticket.openedAt.getTime();
  const due = opened + seconds * 1000 + pausedMs(ticket.slaPauses ?? [], opened);
  if (ticket.slaPausedAt !== undefined) {
    const pausedAt = Math.max(new Date(ticket.slaPausedAt).getTime(), opened);
    return { policy: policy.name, target, secondsLeft: Math.round((due - pausedAt) / 1000), pausedAt: new Date(pausedAt).toISOString(), state: 'paused' };
  }
  const secondsLeft = Math.round((due - now.getTime()) / 1000);
  const warn = policy.warnBeforeSeconds ?? seconds * DEFAULT_WARN_SHARE;
  const state: SlaState = secondsLeft <= 0 ? 'breached' : secondsLeft <= warn ? 'at_risk' : 'ok';
  return { policy: policy.name, target, dueAt: new Date(due).toISOString(), secondsLeft, state };
}

/** Time the finished waits for the customer took after the clock started. */
function pausedMs(pauses: { from: Date | string; to: Date | string }[], since: number): number {
  let total = 0;
  for (const p of pauses) total += Math.max(0, new Date(p.to).getTime() - Math.max(new Date(p.from).getTime(), since));
  return total;
}
