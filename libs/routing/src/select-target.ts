import { Category, Channel, Language, UrgencyFlag } from '@switchboard/contracts';
import { Workflow, WorkflowFilter } from './workflow';

export interface TicketAttributes {
  category: Category;
  confidence: number;
  /** The classifier was not sure: an agent sets the category. */
  triage: boolean;
  language: Language;
  channel: Channel;
  urgency: UrgencyFlag[];
}

export interface RoutingDecision {
  queue: string;
  priority: number;
  filter: string;
  step: number;
  /** Why, in words an agent or operator can read next to the ticket. */
  explanation: string[];
}

/** The first matching filter's first target; later targets are for timeouts and escalation. */
export function selectTarget(workflow: Workflow, ticket: TicketAttributes): RoutingDecision {
  const explanation: string[] = [];
  let chosen: Pick<WorkflowFilter, 'name' | 'targets'> = workflow.default;
  for (const filter of workflow.filters) {
    const mismatch = firstMismatch(filter, ticket);
    if (!mismatch) {
      chosen = filter;
      explanation.push(`filter '${filter.name}' matched`);
      break;
    }
    explanation.push(`filter '${filter.name}' skipped: ${mismatch}`);
  }
  if (chosen === workflow.default) explanation.push(`no filter matched: default '${workflow.default.name}'`);
  const target = chosen.targets[0];
  const boost = ticket.urgency.length * workflow.urgencyBoost;
  if (boost > 0) explanation.push(`priority +${boost} for urgency: ${ticket.urgency.join(', ')}`);
  explanation.push(`queue '${target.queue}' at priority ${target.priority + boost}`);
  return { queue: target.queue, priority: target.priority + boost, filter: chosen.name, step: 0, explanation };
}

function firstMismatch(filter: WorkflowFilter, ticket: TicketAttributes): string | undefined {
  const { when } = filter;
  if (when.triage !== undefined && when.triage !== ticket.triage) return `triage is ${ticket.triage}`;
  if (when.category && !when.category.includes(ticket.category)) return `category is ${ticket.category}`;
  if (when.language && !when.language.includes(ticket.language)) return `language is ${ticket.language}`;
  if (when.channel && !when.channel.includes(ticket.channel)) return `channel is ${ticket.channel}`;
  if (when.urgency && !when.urgency.some((u) => ticket.urgency.includes(u))) return 'no matching urgency flag';
  return undefined;
}
