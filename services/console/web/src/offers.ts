import { LiveFrame, TicketSummary } from './api-types.js';

export interface Offer {
  ticketId: string;
  expiresAt: string;
  ticket?: TicketSummary;
}

const OFFER_ENDS = new Set(['ticket.assigned', 'ticket.offer_withdrawn', 'ticket.resolved', 'ticket.unassigned', 'ticket.waiting']);

/**
 * The offers in front of one agent: added by `offer` frames (and `ticket.offered` events naming
 * them), gone once the ticket is assigned, withdrawn or the offer ran out.
 */
export function applyToOffers(offers: Offer[], frame: LiveFrame, agentId: string | undefined): Offer[] {
  if (frame.type === 'offer') {
    return [...offers.filter((o) => o.ticketId !== frame.ticketId), { ticketId: frame.ticketId, expiresAt: frame.expiresAt, ticket: frame.ticket }];
  }
  if (frame.type !== 'ticket') return offers;
  const { event } = frame;
  const id = event.ticket.id;
  if (event.type === 'ticket.offered' && agentId && event.routing?.agentId === agentId && event.routing.offerExpiresAt) {
    const existing = offers.find((o) => o.ticketId === id);
    return [...offers.filter((o) => o.ticketId !== id), { ticketId: id, expiresAt: event.routing.offerExpiresAt, ticket: event.ticket ?? existing?.ticket }];
  }
  if (OFFER_ENDS.has(event.type)) return offers.filter((o) => o.ticketId !== id);
  return offers.map((o) => (o.ticketId === id ? { ...o, ticket: event.ticket } : o));
}

/** Offers still open at `now`. */
export function openOffers(offers: Offer[], now: number): Offer[] {
  return offers.filter((o) => Date.parse(o.expiresAt) > now);
}
