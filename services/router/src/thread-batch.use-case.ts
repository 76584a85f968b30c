import { ClassifiedMessage, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, PersonTicketEntry, TicketDocument, TicketRepository, verifiedKeysOf } from '@switchboard/persistence';
import { Workflow } from '@switchboard/routing';
import { KeyLocks } from './key-locks';
import { newTicket, OpenOrThreadTicketUseCase, storedMessage, ThreadingOptions } from './open-or-thread-ticket.use-case';
import { AddressBook, groupsOf, MessagePlan, openerIdOf, planGroup, ResolvedMessage, resolveInOrder } from './thread-batch';
import { ticketEvent } from './ticket-event';

export interface ThreadedBatch {
  /** Per message, in batch order: its ticket event, or undefined when it failed. */
  events: (TicketEvent | undefined)[];
  /** Messages that failed (each to be handled again alone), with the messages of their group after them. */
  failed: { index: number; error: unknown }[];
}

/**
 * OpenOrThreadTicketUseCase for a batch: what the batch needs is read with one `$in` read per
 * collection (stored messages, openers, addresses, identities, the addresses they list, person
 * documents, their tickets), the common cases (a new ticket, a follow-up on an open ticket) are
 * decided in pure code (thread-batch.ts), in order within each group of messages tied by an
 * address, identity or person, and written with one bulk command per collection (per 25
 * statements). A group with anything else (a redelivery, a run that died after opening, two people
 * merging, a reopening, a survey answer, a pending ticket) goes through the one-message path, in
 * order, reading afresh: rare, and it keeps every rule in one place.
 *
 * The batch holds its addresses and identities, then its people, in the same key locks as the
 * one-message path, so batches of partitions handled side by side never thread one person twice.
 * Every write is keyed by the message's event id as in the one-message path: a batch replayed after
 * a crash stores nothing twice (its messages are then found stored and go the one-message way).
 */
export class ThreadBatchUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly contacts: ContactRepository,
    private readonly single: OpenOrThreadTicketUseCase,
    private readonly workflow: () => Workflow,
    private readonly options: Required<ThreadingOptions>,
    private readonly locks = new KeyLocks(),
  ) {}

  async execute(batch: ClassifiedMessage[], now: Date): Promise<ThreadedBatch> {
    const releaseAddresses = await this.locks.hold(batch.flatMap(({ inbound }) => [`address:${inbound.contactKey}`, ...verifiedKeysOf(inbound.identities).map((key) => `identity:${key}`)]));
    try {
      const book = await this.readAddresses(batch);
      const [stored, openers] = book.handledBefore;
      // What was stored before the batch (the book changes as its messages are resolved): updated, the rest inserted.
      const found = book.stored;
      const resolved = resolveInOrder(batch, book);
      const releasePeople = await this.locks.hold(resolved.flatMap(({ person }) => [person.personId, ...person.merged].map((id) => `person:${id}`)));
      try {
        return await this.thread(resolved, stored, openers, found, now);
      } finally {
        releasePeople();
      }
    } finally {
      releaseAddresses();
    }
  }

  /** The batch's stored messages and openers, addresses and identities, and the addresses those list. */
  private async readAddresses(batch: ClassifiedMessage[]): Promise<AddressBook & { handledBefore: [Set<string>, Set<string>]; stored: { contacts: Set<string>; identities: Set<string> } }> {
    const identityKeys = batch.flatMap(({ inbound }) => verifiedKeysOf(inbound.identities));
    const [stored, openers, contacts, identities] = await Promise.all([
      this.tickets.findMessages(batch.map(({ inbound }) => inbound.eventId)),
      this.tickets.findTickets(batch.map(openerIdOf)),
      this.contacts.findMany(batch.map(({ inbound }) => inbound.contactKey)),
      identityKeys.length > 0 ? this.contacts.findIdentities(identityKeys) : new Map<string, { contactKeys: string[] }>(),
    ]);
    const missing = [...new Set([...identities.values()].flatMap((identity) => identity.contactKeys))].filter((key) => !contacts.has(key));
    if (missing.length > 0) for (const [key, contact] of await this.contacts.findMany(missing)) contacts.set(key, contact);
    return {
      contacts,
      identities: new Map([...identities].map(([key, identity]) => [key, [...identity.contactKeys]])),
      handledBefore: [new Set(stored.keys()), new Set(openers.keys())],
      stored: { contacts: new Set(contacts.keys()), identities: new Set(identities.keys()) },
    };
  }

  private async thread(resolved: ResolvedMessage[], stored: Set<string>, openers: Set<string>, found: { contacts: Set<string>; identities: Set<string> }, now: Date): Promise<ThreadedBatch> {
    const personIds = [...new Set(resolved.map(({ person }) => person.personId))];
    const people = await this.tickets.findPeople(personIds);
    const listed = [...people.values()].flatMap((person) => person.tickets.map((entry) => entry.id));
    const tickets = listed.length > 0 ? await this.tickets.findTickets(listed) : new Map<string, TicketDocument>();
    const ticketsOfPerson = new Map(personIds.map((id) => [id, (people.get(id)?.tickets ?? []).flatMap((entry) => tickets.get(entry.id) ?? [])]));

    const workflow = this.workflow();
    const builds = new Map<string, (number: number) => TicketDocument>();
    const opened = (message: ResolvedMessage): TicketDocument => {
      const id = openerIdOf(message.classified);
      const build = newTicket(workflow, id, message.person.personId, message.person.preferredLanguage, message.classified, now);
      builds.set(id, build);
      return build(0);
    };

    const plans = new Map<number, MessagePlan>();
    const slow: number[][] = [];
    const failed: ThreadedBatch['failed'] = [];
    for (const group of groupsOf(resolved.map((message) => message.ties))) {
      const handledBefore = group.some((i) => stored.has(resolved[i].classified.inbound.eventId) || openers.has(openerIdOf(resolved[i].classified)));
      let planned: MessagePlan[] | null = null;
      try {
        planned = handledBefore ? null : planGroup(group.map((i) => resolved[i]), ticketsOfPerson, opened, this.options, now);
      } catch (error) {
        failed.push(...group.map((index) => ({ index, error })));
        continue;
      }
      if (planned) planned.forEach((plan, n) => plans.set(group[n], plan));
      else slow.push(group);
    }

    const events: ThreadedBatch['events'] = resolved.map(() => undefined);
    if (plans.size > 0) await this.write(resolved, plans, builds, tickets, { ...found, people: new Set(people.keys()) }, now, events);
    for (const group of slow) {
      for (const [n, index] of group.entries()) {
        try {
          events[index] = await this.single.executeHeld(resolved[index].classified, now);
        } catch (error) {
          // Its group's later messages must not go before it: each is handled again alone, in order.
          failed.push(...group.slice(n).map((i) => ({ index: i, error })));
          break;
        }
      }
    }
    return { events, failed };
  }

  /** The planned messages' writes, in the one-message path's order, one bulk command per collection; their events. */
  private async write(
    resolved: ResolvedMessage[],
    plans: Map<number, MessagePlan>,
    builds: Map<string, (number: number) => TicketDocument>,
    read: Map<string, TicketDocument>,
    found: { contacts: Set<string>; identities: Set<string>; people: Set<string> },
    now: Date,
    events: ThreadedBatch['events'],
  ): Promise<void> {
    const indexes = [...plans.keys()].sort((a, b) => a - b);
    // The addresses, as the last message of each left them, then the identities they newly proved.
    const addresses = new Map<string, ResolvedMessage>();
    const identities = new Map<string, string[]>();
    for (const i of indexes) {
      const message = resolved[i];
      addresses.set(message.classified.inbound.contactKey, message);
      for (const key of message.newIdentities) identities.set(key, [...new Set([...(identities.get(key) ?? []), message.classified.inbound.contactKey])]);
    }
    const firstSeen = new Map<string, Date>();
    for (const i of indexes) {
      const { contactKey, receivedAt } = resolved[i].classified.inbound;
      if (!firstSeen.has(contactKey)) firstSeen.set(contactKey, new Date(receivedAt));
    }
    await this.contacts.recordAddresses(
      [...addresses.values()].map(({ classified, person, verifiedKeys }) => ({
        contactKey: classified.inbound.contactKey,
        contact: classified.inbound.contact,
        personId: person.personId,
        verifiedKeys,
        firstSeenAt: firstSeen.get(classified.inbound.contactKey) as Date,
        lastSeenAt: new Date(classified.inbound.receivedAt),
        ...(person.preferredLanguage ? { preferredLanguage: person.preferredLanguage } : {}),
      })),
      found.contacts,
    );
    if (identities.size > 0) await this.contacts.listIdentities(identities, found.identities);

    const openedIds = indexes.flatMap((i) => {
      const plan = plans.get(i) as MessagePlan;
      return plan.kind === 'open' ? [plan.ticketId] : [];
    });
    const opened = await this.tickets.insertNewTickets(openedIds.map((id) => ({ id, build: builds.get(id) as (number: number) => TicketDocument })));

    const listings = new Map<string, PersonTicketEntry[]>();
    const touches = new Map<string, Date>();
    const messages = indexes.map((i) => {
      const plan = plans.get(i) as MessagePlan;
      if (plan.kind === 'open') {
        const ticket = opened.get(plan.ticketId) as TicketDocument;
        listings.set(plan.personId, [...(listings.get(plan.personId) ?? []), { id: ticket._id, number: ticket.number }]);
      } else {
        const at = touches.get(plan.ticketId);
        if (!at || plan.lastMessageAt > at) touches.set(plan.ticketId, plan.lastMessageAt);
      }
      return storedMessage(resolved[i].classified, plan.ticketId, plan.kind === 'open' ? 'ticket.opened' : 'ticket.message_added', now);
    });
    // Side by side, as in the one-message path (a replay finds the messages stored and lists the tickets again).
    await Promise.all([
      this.tickets.insertMessages(messages),
      (async () => {
        if (listings.size > 0) await this.tickets.rememberTicketsOfPeople(listings, found.people);
        if (touches.size > 0) await this.tickets.touchTickets([...touches].map(([ticketId, at]) => ({ ticketId, at })), now);
      })(),
    ]);

    for (const i of indexes) {
      const plan = plans.get(i) as MessagePlan;
      const { classified } = resolved[i];
      const entities = classified.classification.entities;
      if (plan.kind === 'open') {
        events[i] = ticketEvent('ticket.opened', opened.get(plan.ticketId) as TicketDocument, classified.inbound, now, entities);
      } else {
        const ticket = (read.get(plan.ticketId) ?? opened.get(plan.ticketId)) as TicketDocument;
        events[i] = ticketEvent('ticket.message_added', { ...ticket, lastMessageAt: plan.lastMessageAt, updatedAt: now }, classified.inbound, now, entities);
      }
    }
  }
}
