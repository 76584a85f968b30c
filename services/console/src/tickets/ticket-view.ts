import { ConsoleTimelineDocument, NotificationDocument, RoutedTicketDocument, TicketMessageDocument } from '@switchboard/persistence';
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
 * The whole conversation in time order: the customer's messages (all channels), what the platform
 * told them, and what agents replied. An agent reply is in the console's timeline and, once the
 * notifier relayed it, in the notifications: shown once (the notification, which has the status).
 */
export function conversation(messages: TicketMessageDocument[], notifications: NotificationDocument[], timeline: ConsoleTimelineDocument[]): TimelineMessage[] {
  const inbound: TimelineMessage[] = messages.map((m) => ({ id: m._id, direction: 'in', author: 'customer', channel: m.channel, text: m.text, at: iso(m.receivedAt) }));
  const outbound: TimelineMessage[] = notifications.map((n) => ({
    id: n._id,
    direction: 'out',
    author: n.kind === 'agent_reply' ? 'agent' : 'system',
    channel: n.channel,
    text: n.text,
    at: iso(n.createdAt),
    kind: n.kind,
    status: n.status,
  }));
  const relayed = notifications.filter((n) => n.kind === 'agent_reply').length;
  const replies = timeline.filter((t) => t.kind === 'agent_reply');
  // Replies beyond those the notifier relayed are still on their way to the customer.
  const pending: TimelineMessage[] = replies.slice(relayed).map((r) => ({ id: r._id, direction: 'out', author: 'agent', channel: '', text: r.text, at: iso(r.at), agentId: r.agentId, status: 'queued' }));
  return [...inbound, ...outbound, ...pending].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

export function ticketDetail(
  ticket: RoutedTicketDocument,
  messages: TicketMessageDocument[],
  notifications: NotificationDocument[],
  timeline: ConsoleTimelineDocument[],
  workflow: Workflow,
  now: Date,
) {
  const summary = ticketSummary(ticket, workflow, now);
  const latest = messages[messages.length - 1]?.classification;
  return {
    ticket: summary,
    messages: conversation(messages, notifications, timeline),
    notes: timeline.filter((t) => t.kind === 'note').map((t) => ({ id: t._id, agentId: t.agentId, text: t.text, at: iso(t.at) })),
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
