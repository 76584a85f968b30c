import { deterministicId } from '@switchboard/contracts';
import { AgentMessageDocument, NotificationDocument, RoutedTicketDocument, TicketMessageDocument } from '@switchboard/persistence';
import { Workflow } from '@switchboard/routing';
import { SlaClock, slaClock } from './sla-clock';

/** A ticket in lists: plain JSON values, customer text never interpreted (the UI escapes it). */
export function ticketSummary(ticket: RoutedTicketDocument, workflow: Workflow, now: Date) {
  return {
    id: ticket._id,
    number: ticket.number,
    status: ticket.status,
    category: ticket.category,
    confidence: ticket.confidence,
    triage: ticket.triage,
    queue: ticket.queue,
    priority: ticket.priority,
    language: ticket.language,
    urgency: ticket.urgency ?? [],
    channel: ticket.channel,
    contact: { channel: ticket.contact.channel, address: ticket.contact.address, ...(ticket.contact.displayName ? { displayName: ticket.contact.displayName } : {}) },
    contactKey: ticket.contactKey,
    assigneeId: ticket.assigneeId ?? null,
    assignment: ticket.assignment
      ? { agentId: ticket.assignment.agentId, state: ticket.assignment.state, offerExpiresAt: ticket.assignment.offerExpiresAt ? new Date(ticket.assignment.offerExpiresAt).toISOString() : null }
      : null,
    queuePosition: ticket.queuePosition ?? null,
    expectedWaitSeconds: ticket.expectedWaitSeconds ?? null,
    openedAt: iso(ticket.openedAt),
    lastMessageAt: iso(ticket.lastMessageAt),
    updatedAt: iso(ticket.updatedAt),
    sla: slaClock(workflow, { ...ticket, openedAt: new Date(ticket.openedAt) }, now) satisfies SlaClock,
  };
}

/** A row of `ticket_messages`: the customer's (inbound) or an agent's (outbound reply, internal note). */
export type StoredMessage = TicketMessageDocument | AgentMessageDocument;

export interface TimelineMessage {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'agent' | 'system';
  channel: string;
  text: string;
  at: string;
  agentId?: string;
  kind?: string;
  status?: string;
}

/**
 * The whole conversation in time order, as the router stored it: the customer's messages (all
 * channels) and what agents wrote, plus what the platform told the customer. An agent reply shows
 * the delivery status of the notification that relayed it; until the notifier has it, `queued`.
 */
export function conversation(messages: StoredMessage[], notifications: NotificationDocument[]): TimelineMessage[] {
  const relayOf = new Map(notifications.filter((n) => n.kind === 'agent_reply' && !n.retryOf).map((n) => [n._id, n]));
  const lines: TimelineMessage[] = [];
  for (const m of messages) {
    if (m.direction === 'internal') continue;
    if (m.direction === 'outbound') {
      const relay = relayOf.get(deterministicId('notification', 'agent_reply', m._id));
      lines.push({ id: m._id, direction: 'out', author: 'agent', channel: relay?.channel ?? m.channel ?? '', text: m.text, at: iso(m.receivedAt), agentId: m.agentId, kind: 'agent_reply', status: relay?.status ?? 'queued' });
      continue;
    }
    lines.push({ id: m._id, direction: 'in', author: 'customer', channel: (m as TicketMessageDocument).channel, text: m.text, at: iso(m.receivedAt) });
  }
  for (const n of notifications) {
    if (n.kind === 'agent_reply') continue; // shown as the agent's message above
    lines.push({ id: n._id, direction: 'out', author: 'system', channel: n.channel, text: n.text, at: iso(n.createdAt), kind: n.kind, status: n.status });
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** Internal notes, for agents only. */
export function notesOf(messages: StoredMessage[]) {
  return messages.filter((m): m is AgentMessageDocument => m.direction === 'internal').map((m) => ({ id: m._id, agentId: m.agentId, text: m.text, at: iso(m.receivedAt) }));
}

export function ticketDetail(
  ticket: RoutedTicketDocument,
  messages: StoredMessage[],
  notifications: NotificationDocument[],
  workflow: Workflow,
  now: Date,
) {
  const summary = ticketSummary(ticket, workflow, now);
  const latest = messages.filter((m): m is TicketMessageDocument => m.direction === 'inbound').pop()?.classification;
  return {
    ticket: summary,
    messages: conversation(messages, notifications),
    notes: notesOf(messages),
    classification: latest
      ? { category: latest.category, confidence: latest.confidence, scores: latest.scores, explanation: latest.explanation ?? [], entities: latest.entities ?? {}, language: latest.language, urgency: latest.urgency ?? [] }
      : { category: ticket.category, confidence: ticket.confidence, scores: {}, explanation: [], entities: {}, language: ticket.language, urgency: ticket.urgency ?? [] },
    notifications: notifications.map((n) => ({ id: n._id, kind: n.kind, status: n.status, channel: n.channel, errorCode: n.errorCode ?? null, at: iso(n.createdAt) })),
    sla: summary.sla,
  };
}

function iso(value: Date | string | undefined): string {
  return value ? new Date(value).toISOString() : '';
}
