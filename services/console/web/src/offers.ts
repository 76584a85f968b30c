import { Category, Channel, LiveFrame, TicketSummary } from './api-types.js';

/** A ticket offered to the agent: take it before `expiresAt` or routing offers it to the next one. */
export interface Offer {
  ticketId: string;
  expiresAt: string;
  number?: number;
  queue?: string;
  category?: Category;
  channel?: Channel;
}

const OFFER_ENDS = new Set(['ticket.assigned', 'ticket.offer_withdrawn', 'ticket.resolved', 'ticket.unassigned', 'ticket.waiting', 'ticket.routed']);

/**
 * The offers in front of one agent: added by `offer` frames, gone once the ticket is assigned,
 * withdrawn or re-routed, or once the offer ran out. The same object comes back when nothing changed.
 */
export function applyToOffers(offers: Offer[], frame: LiveFrame): Offer[] {
  if (frame.type === 'offer') {
    if (!frame.expiresAt) return offers;
    const { ticketId, expiresAt, number, queue, category, channel } = frame;
    return [...offers.filter((o) => o.ticketId !== ticketId), { ticketId, expiresAt, number, queue, category, channel }];
  }
  if (frame.type !== 'ticket' || !OFFER_ENDS.has(frame.event.type)) return offers;
  const rest = offers.filter((o) => o.ticketId !== frame.event.ticketId);
  return rest.length === offers.length ? offers : rest;
}

/** Offers to `agentId` that a ticket list shows (after a reload the socket does not repeat them). */
export function offersIn(tickets: TicketSummary[], agentId: string | undefined): Offer[] {
  return tickets
    .filter((t) => agentId && t.assignment?.state === 'offered' && t.assignment.agentId === agentId && t.assignment.offerExpiresAt)
    .map((t) => ({ ticketId: t.id, expiresAt: t.assignment?.offerExpiresAt as string, number: t.number, queue: t.queue, category: t.category, channel: t.channel }));
}

/** Merges offers found in a list into the known ones, keeping the newest expiry per ticket. */
export function mergeOffers(known: Offer[], found: Offer[]): Offer[] {
  const byTicket = new Map(known.map((o) => [o.ticketId, o]));
  let changed = false;
  for (const o of found) {
    const current = byTicket.get(o.ticketId);
    if (!current || Date.parse(o.expiresAt) > Date.parse(current.expiresAt)) {
      byTicket.set(o.ticketId, o);
      changed = true;
    }
  }
  return changed ? [...byTicket.values()] : known;
}

/** Offers still open at `now`. */
export function openOffers(offers: Offer[], now: number): Offer[] {
  return offers.filter((o) => Date.parse(o.expiresAt) > now);
}
