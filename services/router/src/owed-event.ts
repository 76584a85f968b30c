import { TicketEvent, TicketRouting } from '@switchboard/contracts';
import { OwedTicketEvent, RoutingLogDocument } from '@switchboard/persistence';

/** For entries written before entries stored the event they owe: what was owed for a decision about who holds a ticket. */
const LEGACY_OWED_EVENTS: Partial<Record<string, TicketEvent['type']>> = {
  offered: 'ticket.offered',
  assigned: 'ticket.assigned',
  offerWithdrawn: 'ticket.offer_withdrawn',
  unassigned: 'ticket.unassigned',
};

/** The ticket event an entry's writer owed once its copy onto the ticket is made: stored with the entry, or for an older entry, derived as before. */
export function owedEvent(entry: RoutingLogDocument): OwedTicketEvent | undefined {
  if (entry.ticketChange) return entry.owes;
  const type = LEGACY_OWED_EVENTS[entry.decision.type];
  if (!type) return undefined;
  const holder = entry.assignment;
  return {
    type,
    routing: {
      ...(entry.decision.agentId ? { agentId: entry.decision.agentId } : {}),
      ...(holder?.offerExpiresAt ? { offerExpiresAt: new Date(holder.offerExpiresAt).toISOString() } : {}),
      epoch: entry.epoch,
    },
  };
}

/** The routing of a ticket event as stored with its log entry: the entry's decision holds the explanation already. */
export function withoutExplanation(routing: TicketRouting): OwedTicketEvent['routing'] {
  const { explanation, ...rest } = routing;
  void explanation;
  return rest;
}
