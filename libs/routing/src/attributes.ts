import { CATEGORIES, Category, Channel, CHANNELS, Entities, Language, LANGUAGES, URGENCY_FLAGS, UrgencyFlag } from '@switchboard/contracts';
import { Bindings, ExpressionScope } from './expression';

export const ENTITY_KINDS = ['amount', 'transaction_id', 'incident_time', 'merchant', 'masked_digits'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
/** Which entities the classifier found, as flags, when the caller does not pass the entities themselves. */
export type EntityPresence = Partial<Record<EntityKind, boolean>>;

/** What routing knows about a ticket: the classification, the channel and what the customer record adds. */
export interface TicketAttributes {
  category: Category;
  confidence: number;
  language: Language;
  channel: Channel;
  /** A priority the caller already knows (e.g. from an earlier ticket); filters may read it. */
  priority?: number;
  urgency: readonly UrgencyFlag[];
  customerTier?: string;
  entities?: Partial<Entities> | EntityPresence;
  /** Confidence below this goes to triage; the workflow's `triageThreshold` when absent. */
  triageThreshold?: number;
  /** Set when the caller already decided (e.g. the classifier's own threshold); overrides the threshold. */
  triage?: boolean;
}

/** Names a filter's `when` (and an SLA policy's `when`) may read. */
export const TICKET_SCOPE: ExpressionScope = {
  category: { type: 'string', values: CATEGORIES, description: 'classified category' },
  confidence: { type: 'number', description: 'classifier confidence, 0..1' },
  triage: { type: 'boolean', description: 'confidence below the triage threshold (or the caller said so)' },
  triageThreshold: { type: 'number', description: "the ticket's or the workflow's triage threshold" },
  language: { type: 'string', values: LANGUAGES, description: 'detected language' },
  channel: { type: 'string', values: CHANNELS, description: 'channel the customer wrote on' },
  priority: { type: 'number', description: 'priority given by the caller (absent when none)' },
  urgency: { type: 'list', values: URGENCY_FLAGS, description: 'urgency flags raised by the classifier' },
  customerTier: { type: 'string', description: 'customer tier, e.g. gold (absent when unknown)' },
  entities: { type: 'list', values: ENTITY_KINDS, description: 'kinds of entities found in the message' },
};

/** SLA policies also see where the ticket was routed; `priority` there is the routed priority. */
export const SLA_SCOPE: ExpressionScope = {
  ...TICKET_SCOPE,
  priority: { type: 'number', description: 'routed priority' },
  queue: { type: 'string', description: 'queue the ticket was routed to' },
};

/** Names a worker expression (and a queue's `members`) may read: the agent, and the ticket as `ticket.*`. */
export const AGENT_SCOPE: ExpressionScope = {
  id: { type: 'string', description: 'agent id' },
  skills: { type: 'list', description: "agent's skills" },
  languages: { type: 'list', description: 'languages the agent handles' },
  team: { type: 'string', description: "agent's first team" },
  teams: { type: 'list', description: "agent's teams" },
  level: { type: 'number', description: 'seniority level' },
  ...Object.fromEntries(Object.entries(TICKET_SCOPE).map(([k, v]) => [`ticket.${k}`, v])),
};

export function entityKindsOf(entities: TicketAttributes['entities']): EntityKind[] {
  if (!entities) return [];
  const e = entities as Partial<Entities> & EntityPresence;
  const found: EntityKind[] = [];
  if (e.amount || (e.amounts?.length ?? 0) > 0) found.push('amount');
  if (e.transaction_id || (e.transactionIds?.length ?? 0) > 0) found.push('transaction_id');
  if (e.incident_time || e.incidentTime || e.incidentTimeText) found.push('incident_time');
  if (e.merchant || (e.merchants?.length ?? 0) > 0) found.push('merchant');
  if (e.masked_digits || (e.maskedDigits?.length ?? 0) > 0) found.push('masked_digits');
  return found;
}

export function isTriage(ticket: TicketAttributes, defaultThreshold: number): boolean {
  return ticket.triage ?? ticket.confidence < (ticket.triageThreshold ?? defaultThreshold);
}

export function ticketBindings(ticket: TicketAttributes, defaultThreshold: number): Record<string, Bindings[string]> {
  return {
    category: ticket.category,
    confidence: ticket.confidence,
    triage: isTriage(ticket, defaultThreshold),
    triageThreshold: ticket.triageThreshold ?? defaultThreshold,
    language: ticket.language,
    channel: ticket.channel,
    priority: ticket.priority,
    urgency: ticket.urgency,
    customerTier: ticket.customerTier,
    entities: entityKindsOf(ticket.entities),
  };
}
