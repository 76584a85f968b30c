import { PersonTicketEntry, TicketDocument } from '@switchboard/persistence';

const OPEN_STATUSES: ReadonlySet<string> = new Set(['open', 'assigned', 'pending']);

/** What a new message of a person can thread onto, picked from the tickets their person document lists. */
export interface PersonTicketChoice {
  /** The ticket the message's token names, when it is one of the person's. */
  named?: TicketDocument;
  /** The most recent unresolved ticket (by last message). */
  open?: TicketDocument;
  /** The most recently resolved ticket resolved since `resolvedSince`. */
  resolved?: TicketDocument;
  /** Resolved before `forgetBefore`: too old to reopen or to answer the survey of, so no longer listed. */
  forget: PersonTicketEntry[];
}

/**
 * Pure: the same choice the queries over `tickets` made (latest unresolved by `lastMessageAt`,
 * latest resolved by `updatedAt`), over the few tickets of one person read by `_id`.
 */
export function choosePersonTicket(tickets: TicketDocument[], number: number | undefined, resolvedSince: Date, forgetBefore: Date): PersonTicketChoice {
  const choice: PersonTicketChoice = { forget: [] };
  for (const ticket of tickets) {
    if (number !== undefined && ticket.number === number) choice.named = ticket;
    if (OPEN_STATUSES.has(ticket.status)) {
      if (!choice.open || time(ticket.lastMessageAt) > time(choice.open.lastMessageAt)) choice.open = ticket;
    } else if (ticket.status === 'resolved') {
      const at = time(ticket.updatedAt);
      if (at >= resolvedSince.getTime() && (!choice.resolved || at > time(choice.resolved.updatedAt))) choice.resolved = ticket;
      if (at < forgetBefore.getTime()) choice.forget.push({ id: ticket._id, number: ticket.number });
    }
  }
  return choice;
}

function time(at: Date | string): number {
  return new Date(at).getTime();
}
