import { ClassifiedMessage, deterministicId, ticketNumberOfToken } from '@switchboard/contracts';
import { choosePerson, ContactDocument, ResolvedPerson, TicketDocument, verifiedKeysOf } from '@switchboard/persistence';
import { parseSurveyAnswer } from '@switchboard/templates';
import { choosePersonTicket } from './person-tickets';

// Pure: what a batch of classified messages does, decided over what the batch read in one go.
// Only the common cases are decided here (a new ticket, a follow-up on an open one); a message
// that needs more (a redelivery, a merge of two people, a reopening, a survey answer, a pending
// ticket, a ticket to forget) sends its whole group to the one-message path, which reads afresh.

/** The addresses and identities a batch read, updated in order as its messages are resolved. */
export interface AddressBook {
  contacts: Map<string, ContactDocument>;
  /** Identity key → the addresses that proved it. */
  identities: Map<string, string[]>;
}

export interface ResolvedMessage {
  classified: ClassifiedMessage;
  person: ResolvedPerson;
  verifiedKeys: string[];
  /** Identities this address is not listed under yet. */
  newIdentities: string[];
  /** Every key that ties it to other messages: its address, identities, people and linked addresses. */
  ties: string[];
}

/**
 * Each message's person, in order, as `ContactRepository.resolve` would find it had the messages
 * before it been stored one by one: the book is updated with each message's address.
 */
export function resolveInOrder(messages: ClassifiedMessage[], book: AddressBook): ResolvedMessage[] {
  return messages.map((classified) => {
    const { contactKey, contact, identities, receivedAt } = classified.inbound;
    const keys = verifiedKeysOf(identities);
    const self = book.contacts.get(contactKey);
    const linkedKeys = [...new Set(keys.flatMap((key) => book.identities.get(key) ?? []))].filter((key) => key !== contactKey);
    const linked = linkedKeys.flatMap((key) => book.contacts.get(key) ?? []);
    const person = choosePerson(contactKey, keys, self, linked);
    const seenAt = new Date(receivedAt);
    book.contacts.set(contactKey, {
      _id: contactKey,
      personId: person.personId,
      contact,
      verifiedKeys: [...new Set([...(self?.verifiedKeys ?? []), ...keys])],
      ...((person.preferredLanguage ?? self?.preferredLanguage) ? { preferredLanguage: person.preferredLanguage ?? self?.preferredLanguage } : {}),
      firstSeenAt: self?.firstSeenAt ?? seenAt,
      lastSeenAt: seenAt,
    });
    const newIdentities = keys.filter((key) => !(book.identities.get(key) ?? []).includes(contactKey));
    for (const key of newIdentities) book.identities.set(key, [...(book.identities.get(key) ?? []), contactKey]);
    const ties = [
      `address:${contactKey}`,
      ...keys.map((key) => `identity:${key}`),
      ...[person.personId, ...person.merged].map((id) => `person:${id}`),
      ...linkedKeys.map((key) => `address:${key}`),
    ];
    return { classified, person, verifiedKeys: keys, newIdentities, ties };
  });
}

/** Indexes of messages tied to each other (sharing any key, transitively), each group in batch order. */
export function groupsOf(ties: string[][]): number[][] {
  const parent = ties.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstWith = new Map<string, number>();
  ties.forEach((keys, i) => {
    for (const key of keys) {
      const other = firstWith.get(key);
      if (other === undefined) firstWith.set(key, i);
      else parent[root(i)] = root(other);
    }
  });
  const groups = new Map<number, number[]>();
  ties.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  return [...groups.values()];
}

export type MessagePlan =
  | { kind: 'open'; ticketId: string; personId: string }
  | { kind: 'follow-up'; ticketId: string; lastMessageAt: Date };

export interface PlanOptions {
  reopenWindowMs: number;
  surveyWindowMs: number;
}

/**
 * One group's messages in order over its people's tickets (as read; a ticket opened by an earlier
 * message of the group is seen by the later ones): a plan per message, or null when one of them
 * needs the one-message path. `opened(message, personId)` is the ticket a message would open.
 */
export function planGroup(
  messages: ResolvedMessage[],
  ticketsOfPerson: Map<string, TicketDocument[]>,
  opened: (message: ResolvedMessage) => TicketDocument,
  options: PlanOptions,
  now: Date,
): MessagePlan[] | null {
  const tickets = new Map([...ticketsOfPerson].map(([personId, list]) => [personId, list.map((ticket) => ({ ...ticket }))]));
  const plans: MessagePlan[] = [];
  for (const message of messages) {
    const { inbound } = message.classified;
    const { personId } = message.person;
    if (message.person.merged.length > 0) return null;
    const mine = tickets.get(personId) ?? [];
    const rating = inbound.autoSubmitted ? null : parseSurveyAnswer(inbound.text);
    const number = ticketNumberOfToken(inbound.thread?.ticketToken);
    const forgetBefore = new Date(now.getTime() - Math.max(options.reopenWindowMs, options.surveyWindowMs));
    const { named, open, resolved, forget } = choosePersonTicket(mine, number, new Date(now.getTime() - options.surveyWindowMs), forgetBefore);
    if (forget.length > 0) return null;
    const receivedAt = new Date(inbound.receivedAt);
    let target: TicketDocument | undefined;
    if (named && (named.personId === personId || named.contactKey === inbound.contactKey)) {
      if (named.status === 'resolved') return null;
      target = named;
    } else if (open) {
      target = open;
    } else if (rating && resolved) {
      return null;
    }
    if (target) {
      // Waiting for the customer (whatever its status says): ending the wait takes the one-message path.
      if (target.status === 'pending' || target.slaPausedAt) return null;
      if (receivedAt > new Date(target.lastMessageAt)) target.lastMessageAt = receivedAt;
      target.updatedAt = now;
      plans.push({ kind: 'follow-up', ticketId: target._id, lastMessageAt: new Date(target.lastMessageAt) });
    } else {
      const ticket = opened(message);
      tickets.set(personId, [...mine, ticket]);
      plans.push({ kind: 'open', ticketId: ticket._id, personId });
    }
  }
  return plans;
}

/** The id of the ticket a message opens (an earlier run that died after opening it left it under this id). */
export function openerIdOf(classified: ClassifiedMessage): string {
  return deterministicId('ticket', classified.inbound.eventId);
}
