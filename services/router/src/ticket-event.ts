import { deterministicId, Entities, InboundMessage, SurveyAnswer, TicketEvent, TicketRouting, TicketSnapshot } from '@switchboard/contracts';
import { TicketDocument } from '@switchboard/persistence';

/** The event id follows from the cause, so re-publishing after a crash repeats the same event. */
export function ticketEvent(type: TicketEvent['type'], ticket: TicketDocument, inbound: InboundMessage, now: Date, entities?: Entities, survey?: SurveyAnswer): TicketEvent {
  const messageId = inbound.eventId;
  return {
    schemaVersion: 1,
    eventId: deterministicId('ticket-event', type, messageId),
    type,
    ticket: ticketSnapshot(ticket),
    messageId,
    message: {
      channel: inbound.channel,
      providerMessageId: inbound.providerMessageId,
      contact: inbound.contact,
      contactKey: inbound.contactKey,
      ...(inbound.subject ? { subject: inbound.subject } : {}),
      autoSubmitted: inbound.autoSubmitted,
      ...(entities ? { entities } : {}),
    },
    ...(survey ? { survey } : {}),
    causationId: messageId,
    occurredAt: now.toISOString(),
  };
}

export function ticketSnapshot(ticket: TicketDocument): TicketSnapshot {
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
    urgency: ticket.urgency,
    channel: ticket.channel,
    contact: ticket.contact,
    contactKey: ticket.contactKey,
    ...(ticket.assigneeId ? { assigneeId: ticket.assigneeId } : {}),
    ...(ticket.personId ? { personId: ticket.personId } : {}),
    ...(ticket.preferredLanguage ? { preferredLanguage: ticket.preferredLanguage } : {}),
    openedAt: new Date(ticket.openedAt).toISOString(),
  };
}

/** A routing decision as a ticket event; its id follows from the ticket and the decision's entry in the ticket's routing log. */
export function routingTicketEvent(type: TicketEvent['type'], ticket: TicketDocument, logSeq: number, routing: TicketRouting, at: Date): TicketEvent {
  const eventId = deterministicId('ticket-event', type, ticket._id, String(logSeq));
  return { schemaVersion: 1, eventId, type, ticket: ticketSnapshot(ticket), routing, causationId: eventId, occurredAt: at.toISOString() };
}
