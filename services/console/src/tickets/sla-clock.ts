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
}

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'none';

export interface SlaClock {
  policy?: string;
  /** First response while nobody holds the ticket, resolution once an agent does. */
  target?: 'first-response' | 'resolution';
  dueAt?: string;
  secondsLeft?: number;
  state: SlaState;
}

/** When no `warnBeforeSeconds` is set, the last fifth of the target counts as at risk. */
const DEFAULT_WARN_SHARE = 0.2;

/** The ticket's SLA clock under the workflow's first matching policy, as the router's engine picks it. */
export function slaClock(workflow: Workflow, ticket: SlaTicketFields, now: Date): SlaClock {
  if (ticket.status === 'resolved') return { state: 'none' };
  const bindings = { ...ticketBindings({ ...ticket, triage: ticket.triage }, workflow.triageThreshold), queue: ticket.queue, priority: ticket.priority };
  const policy = workflow.sla.find((p) => !p.whenExpr || p.whenExpr.evaluate(bindings));
  if (!policy) return { state: 'none' };
  const waiting = !ticket.assigneeId;
  const target = waiting && policy.firstResponseSeconds !== undefined ? 'first-response' : policy.resolutionSeconds !== undefined ? 'resolution' : undefined;
  const seconds = target === 'first-response' ? policy.firstResponseSeconds : policy.resolutionSeconds;
  if (!target || seconds === undefined) return { policy: policy.name, state: 'none' };
  const due = ticket.openedAt.getTime() + seconds * 1000;
  const secondsLeft = Math.round((due - now.getTime()) / 1000);
  const warn = policy.warnBeforeSeconds ?? seconds * DEFAULT_WARN_SHARE;
  const state: SlaState = secondsLeft <= 0 ? 'breached' : secondsLeft <= warn ? 'at_risk' : 'ok';
  return { policy: policy.name, target, dueAt: new Date(due).toISOString(), secondsLeft, state };
}
