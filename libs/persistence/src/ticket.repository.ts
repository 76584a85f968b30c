import { Collection, Connection, Model, mongo } from 'mongoose';
import { deterministicId } from '@switchboard/contracts';
import { bulkWriteInChunks } from './bounded';
import { findByIds } from './find-by-ids';
import { insertManyOnce } from './insert-many-once';
import { AgentMessageDocument, CounterDocument, counterSchema, TicketDocument, TicketMessageDocument, ticketMessageSchema, ticketSchema } from './ticket.schema';
import { isDuplicateKey, onlyDuplicateKeys } from './mongo-connection';

const OPEN_STATUSES = ['open', 'assigned', 'pending'];

/**
 * The tickets of one person a new message of theirs may thread onto, `_id` the person id: every
 * ticket not resolved, and resolved ones until they are too old to reopen or to take a survey
 * answer. The tickets' own documents stay the truth about their status (read by `_id`); this only
 * says which to read, so that a message costs `_id` lookups instead of a query over `tickets`,
 * which FerretDB v1 matches document by document. Entries are added where a ticket opens and
 * where people merge, and dropped once resolved for longer than the longest window.
 */
export interface PersonTicketsDocument {
  _id: string;
  tickets: PersonTicketEntry[];
}

export interface PersonTicketEntry {
  id: string;
  number: number;
}

/** Set once the person documents were built from the tickets stored before they existed. */
const PERSON_TICKETS_BACKFILLED = 'person_tickets_backfilled';

/** Storage of tickets and their messages. Only the router writes here. */
export class TicketRepository {
  readonly tickets: Model<TicketDocument>;
  readonly messages: Model<TicketMessageDocument>;
  readonly people: Collection<PersonTicketsDocument>;
  private readonly counters: Model<CounterDocument>;

  constructor(private readonly connection: Connection) {
    this.tickets = connection.model<TicketDocument>('Ticket', ticketSchema);
    this.messages = connection.model<TicketMessageDocument>('TicketMessage', ticketMessageSchema);
    this.counters = connection.model<CounterDocument>('Counter', counterSchema);
    this.people = connection.collection<PersonTicketsDocument>('person_tickets');
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.tickets.createIndexes(), this.messages.createIndexes()]);
  }

  findMessage(messageId: string): Promise<TicketMessageDocument | null> {
    return this.messages.findById(messageId).lean<TicketMessageDocument>().exec();
  }

  findTicket(ticketId: string): Promise<TicketDocument | null> {
    return this.tickets.findById(ticketId).lean<TicketDocument>().exec();
  }

  /**
   * Tickets of people found to be one person follow the person that stays, and so do the entries
   * of their person documents. Rare (two known people linked by a newly verified address): the
   * `personId` update is the one query of the message path not by `_id`.
   */
  async movePeople(from: string[], personId: string): Promise<void> {
    if (from.length === 0) return;
    for (const other of from) {
      const moved = await this.people.findOne({ _id: other });
      if (moved && moved.tickets.length > 0) await this.rememberTickets(personId, moved.tickets);
    }
    await this.tickets.updateMany({ personId: { $in: from } }, { $set: { personId } }).exec();
    // Only once the tickets moved: a crash before leaves the old documents for the redelivery to move again.
    for (const other of from) await this.people.deleteOne({ _id: other });
  }

  /** The tickets the person's document lists, as stored now (those still there). */
  async ticketsOfPerson(personId: string): Promise<TicketDocument[]> {
    const person = await this.people.findOne({ _id: personId });
    if (!person) return [];
    const tickets = await Promise.all(person.tickets.map((entry) => this.findTicket(entry.id)));
    return tickets.filter((ticket): ticket is TicketDocument => ticket !== null);
  }

  /** Lists tickets in the person's document (idempotent: an entry listed already stays one). */
  async rememberTickets(personId: string, tickets: PersonTicketEntry[]): Promise<void> {
    const entries = tickets.map(({ id, number }) => ({ id, number }));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.people.updateOne({ _id: personId }, { $addToSet: { tickets: { $each: entries } } }, { upsert: true });
        return;
      } catch (error) {
        // Two first upserts of one person raced: the document is there now.
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Drops tickets from the person's document (resolved too long ago to thread onto). */
  async forgetTickets(personId: string, tickets: PersonTicketEntry[]): Promise<void> {
    // Whole entries, as listed (FerretDB v1 has no `$pull` by condition).
    if (tickets.length > 0) await this.people.updateOne({ _id: personId }, { $pullAll: { tickets: tickets.map(({ id, number }) => ({ id, number })) } });
  }

  /**
   * Once, for a database with tickets stored before person documents existed: lists every ticket
   * not resolved, or resolved since `since`, in its person's document (a ticket without a person
   * id under the person of its address, as threading found it). Idempotent, so a run cut short
   * runs again whole.
   */
  async backfillPersonTickets(since: Date): Promise<number> {
    if (await this.counters.exists({ _id: PERSON_TICKETS_BACKFILLED })) return 0;
    const tickets = await this.tickets
      .find({ $or: [{ status: { $ne: 'resolved' } }, { updatedAt: { $gte: since } }] }, { _id: 1, number: 1, personId: 1, contactKey: 1 })
      .lean<Pick<TicketDocument, '_id' | 'number' | 'personId' | 'contactKey'>[]>()
      .exec();
    const contacts = this.connection.collection<{ _id: string; personId: string }>('contacts');
    const byPerson = new Map<string, PersonTicketEntry[]>();
    for (const ticket of tickets) {
      const personId = ticket.personId ?? (await contacts.findOne({ _id: ticket.contactKey }))?.personId ?? deterministicId('person', ticket.contactKey);
      byPerson.set(personId, [...(byPerson.get(personId) ?? []), { id: ticket._id, number: ticket.number }]);
    }
    for (const [personId, entries] of byPerson) await this.rememberTickets(personId, entries);
    await this.counters.updateOne({ _id: PERSON_TICKETS_BACKFILLED }, { $set: { seq: 1 } }, { upsert: true }).exec();
    return tickets.length;
  }

  // Batch reads and writes of the `classified` consumer: one `$in` read or one bulk command per
  // collection for a whole batch, where the calls above cost a round trip per message.

  findMessages(ids: Iterable<string>): Promise<Map<string, TicketMessageDocument>> {
    return findByIds(this.raw(this.messages), ids);
  }

  findTickets(ids: Iterable<string>): Promise<Map<string, TicketDocument>> {
    return findByIds(this.raw(this.tickets), ids);
  }

  /** The person documents of these people (absent: a person with no ticket listed yet). */
  findPeople(personIds: Iterable<string>): Promise<Map<string, PersonTicketsDocument>> {
    return findByIds(this.people, personIds);
  }

  /**
   * Stores new tickets, numbered from one counter increment for all of them. A ticket already
   * stored under its id (an earlier run) or whose number another writer took (FerretDB's `$inc` is
   * not atomic under concurrency, so two ranges can overlap) goes the single way, which returns the
   * stored one or takes the next free number. Returns the tickets as stored, by id.
   */
  async insertNewTickets(builds: { id: string; build: (number: number) => TicketDocument }[]): Promise<Map<string, TicketDocument>> {
    const stored = new Map<string, TicketDocument>();
    if (builds.length === 0) return stored;
    const last = await this.nextTicketNumber(builds.length);
    const documents = builds.map(({ build }, i) => this.cast(this.tickets, build(last - builds.length + 1 + i)));
    const { inserted, duplicates } = await insertManyOnce(this.raw(this.tickets), documents);
    for (const ticket of inserted) stored.set(ticket._id, ticket);
    for (const duplicate of duplicates) {
      const { build } = builds.find((b) => b.id === duplicate._id) as (typeof builds)[number];
      stored.set(duplicate._id, await this.insertNewTicket(build));
    }
    return stored;
  }

  /** Stores messages; the ids of those stored before (a redelivery) are returned. */
  async insertMessages(messages: TicketMessageDocument[]): Promise<Set<string>> {
    const { duplicates } = await insertManyOnce(this.raw(this.messages), messages.map((m) => this.cast(this.messages, m)));
    return new Set(duplicates.map((d) => d._id));
  }

  /** `rememberTickets` for many people: documents of people the batch found none for inserted together, the others updated in bulk. */
  async rememberTicketsOfPeople(byPerson: Map<string, PersonTicketEntry[]>, stored: ReadonlySet<string>): Promise<void> {
    const entriesOf = (tickets: PersonTicketEntry[]) => tickets.map(({ id, number }) => ({ id, number }));
    const { duplicates } = await insertManyOnce(
      this.people,
      [...byPerson].filter(([personId]) => !stored.has(personId)).map(([personId, tickets]) => ({ _id: personId, tickets: entriesOf(tickets) })),
    );
    const again = new Set(duplicates.map((d) => d._id));
    const operations = [...byPerson]
      .filter(([personId]) => stored.has(personId) || again.has(personId))
      .map(([personId, tickets]) => ({ updateOne: { filter: { _id: personId }, update: { $addToSet: { tickets: { $each: entriesOf(tickets) } } }, upsert: true } }));
    await withDuplicateRetry(() => bulkWriteInChunks(this.people, operations));
  }

  /** `touchTicket` for many tickets (a follow-up message on each), in bulk commands; nothing read back. */
  async touchTickets(touches: { ticketId: string; at: Date }[], now: Date): Promise<void> {
    await bulkWriteInChunks(
      this.raw(this.tickets),
      touches.map(({ ticketId, at }) => ({ updateOne: { filter: { _id: ticketId }, update: { $max: { lastMessageAt: at }, $set: { updatedAt: now } } } })),
    );
  }

  private raw<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
    return model.collection as unknown as mongo.Collection<T>;
  }

  /** The document as `create` would store it (the schema's casts and defaults), for a raw insert. */
  private cast<T extends { _id: string }>(model: Model<T>, document: T): T {
    return new model(document).toObject({ versionKey: false }) as unknown as T;
  }

  /** A resolved ticket the customer wrote back on opens again (conditional: only a resolved one changes). */
  async reopenTicket(ticketId: string, at: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOneAndUpdate(
        { _id: ticketId, status: 'resolved' },
        // The customer wrote: a wait for them ends, and the new SLA clocks start without earlier pauses.
        { $set: { status: 'open', updatedAt: new Date() }, $unset: { assigneeId: 1, slaPausedAt: 1, slaPauses: 1 }, $max: { lastMessageAt: at } },
        { new: true },
      )
      .lean<TicketDocument>()
      .exec();
  }

  /**
   * Stores a new ticket under the next free number, or returns the ticket already stored under its id.
   * The unique index on `number` is the arbiter: FerretDB does not make `$inc` upserts atomic under
   * concurrency, so a number handed out twice loses at insert and the loser takes the next one.
   * A crash between counting and inserting only leaves a gap in the numbers.
   */
  async insertNewTicket(build: (number: number) => TicketDocument): Promise<TicketDocument> {
    for (let attempt = 1; ; attempt++) {
      const ticket = build(await this.nextTicketNumber());
      try {
        await this.tickets.create(ticket);
        return ticket;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const existing = await this.findTicket(ticket._id);
        if (existing) return existing;
        if (attempt >= 20) throw error;
      }
    }
  }

  /** The last of `count` numbers taken at once (the first is `last - count + 1`). */
  private async nextTicketNumber(count = 1): Promise<number> {
    // Two first-ever upserts can race; the loser gets a duplicate-key error and increments again.
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: count } }, { upsert: true, new: true })
          .lean<CounterDocument>()
          .exec();
        if (!counter) throw new Error('ticket counter upsert returned nothing');
        return counter.seq;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
      }
    }
  }

  /** Returns false when the message was stored before (a redelivery). */
  async insertMessage(message: TicketMessageDocument): Promise<boolean> {
    try {
      await this.messages.create(message);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Records a follow-up message on the ticket (idempotent); returns the ticket as it is now. */
  async touchTicket(ticketId: string, at: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOneAndUpdate({ _id: ticketId }, { $max: { lastMessageAt: at }, $set: { updatedAt: new Date() } }, { new: true })
      .lean<TicketDocument>()
      .exec();
  }

  /** Stores an agent's reply or note; false when the same command stored it before. */
  async insertAgentMessage(message: AgentMessageDocument): Promise<boolean> {
    try {
      await this.messages.create(message as unknown as TicketMessageDocument);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  findAgentMessage(messageId: string): Promise<AgentMessageDocument | null> {
    return this.messages.findOne({ _id: messageId, direction: { $in: ['outbound', 'internal'] } }).lean<AgentMessageDocument>().exec();
  }

  /** The customer's latest message on the ticket: where an agent's reply goes back to. */
  latestInboundMessage(ticketId: string): Promise<TicketMessageDocument | null> {
    return this.messages.findOne({ ticketId, direction: 'inbound' }).sort({ receivedAt: -1, storedAt: -1 }).lean<TicketMessageDocument>().exec();
  }

  /**
   * The ticket waits for the customer, its SLA clocks stopped from `at` (`$min`: set pending again,
   * or the same command again, keeps the wait's start); null when it is resolved (or unknown).
   */
  setPending(ticketId: string, at: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOneAndUpdate({ _id: ticketId, status: { $in: OPEN_STATUSES } }, { $set: { status: 'pending', updatedAt: at }, $min: { slaPausedAt: at } }, { new: true })
      .lean<TicketDocument>()
      .exec();
  }

  /**
   * The customer wrote again: the wait for them ends at `at` (kept with the earlier ones, for the
   * SLA clocks), then a pending ticket goes back to its agent, or to the queue without one.
   */
  async reactivate(ticket: Pick<TicketDocument, '_id' | 'slaPausedAt' | 'slaPauses'>, at: Date): Promise<void> {
    if (ticket.slaPausedAt) {
      const pause = { from: new Date(ticket.slaPausedAt), to: new Date(Math.max(at.getTime(), new Date(ticket.slaPausedAt).getTime())) };
      await this.tickets.updateOne({ _id: ticket._id }, { $set: { slaPauses: [...(ticket.slaPauses ?? []), pause] }, $unset: { slaPausedAt: 1 } }).exec();
    }
    await this.tickets.updateOne({ _id: ticket._id, status: 'pending', assigneeId: { $exists: true } }, { $set: { status: 'assigned', updatedAt: at } }).exec();
    await this.tickets.updateOne({ _id: ticket._id, status: 'pending' }, { $set: { status: 'open', updatedAt: at } }).exec();
  }

  /** Records the first survey answer of a ticket; returns the ticket as it is now (with the answer that counts). */
  async recordSurvey(ticketId: string, survey: NonNullable<TicketDocument['survey']>): Promise<TicketDocument | null> {
    await this.tickets.updateOne({ _id: ticketId, survey: { $exists: false } }, { $set: { survey } }).exec();
    return this.findTicket(ticketId);
  }

  /** Every ticket of the person (by any of their addresses) answers in this language from now on. */
  async setPreferredLanguage(personId: string, language: NonNullable<TicketDocument['preferredLanguage']>): Promise<void> {
    await this.tickets.updateMany({ personId }, { $set: { preferredLanguage: language } }).exec();
  }
}

/** Two first upserts of one `_id` raced (here or in another router): the document is there now, so again. */
async function withDuplicateRetry(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!onlyDuplicateKeys(error) || attempt >= 3) throw error;
    }
  }
}
