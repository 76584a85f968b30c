import { TicketDocument } from '@switchboard/persistence';
import { TicketAttributes } from '@switchboard/routing';

/** What the routing engine reads of a stored ticket. */
export function ticketAttributes(ticket: TicketDocument): TicketAttributes {
  return {
    category: ticket.category,
    confidence: ticket.confidence,
    triage: ticket.triage,
    language: ticket.language,
    channel: ticket.channel,
    urgency: ticket.urgency ?? [],
  };
}
