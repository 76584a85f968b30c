import { RoutingLogDocument } from '@switchboard/persistence';

/**
 * Open tickets the engine does not know that it really missed. Under a backlog, a ticket can be
 * stored well before its arrival is read from the inbox: that one is late, not missed, and
 * rebuilding for it would only make the backlog longer (each rebuild rereads every open ticket).
 * A ticket whose log says resolved is only behind on its own copy.
 */
export function missedTickets(unknown: string[], waitingInInbox: ReadonlySet<string>, latest: ReadonlyMap<string, Pick<RoutingLogDocument, 'resolved'>>): string[] {
  return unknown.filter((id) => !waitingInInbox.has(id) && !latest.get(id)?.resolved);
}
