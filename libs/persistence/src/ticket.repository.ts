import { Connection, Model } from 'mongoose';
import { AgentMessageDocument, CounterDocument, counterSchema, TicketDocument, TicketMessageDocument, ticketMessageSchema, ticketSchema } from './ticket.schema';
import { isDuplicateKey } from './mongo-connection';

const OPEN_STATUSES = ['open', 'assigned', 'pending'];

/** Storage of tickets and their messages. Only the router writes here. */
export class TicketRepository {
  readonly tickets: Model<TicketDocument>;
  readonly messages: Model<TicketMessageDocument>;
  private readonly counters: Model<CounterDocument>;

  constructor(connection: Connection) {
    this.tickets = connection.model<TicketDocument>('Ticket', ticketSchema);
    this.messages = connection.model<TicketMessageDocument>('TicketMessage', ticketMessageSchema);
    this.counters = connection.model<CounterDocument>('Counter', counterSchema);
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

  findByNumber(number: number): Promise<TicketDocument | null> {
    return this.tickets.findOne({ number }).lean<TicketDocument>().exec();
  }

  /** The person's most recent unresolved ticket (on any of their addresses), onto which a new message threads. */
  findOpenTicket(personId: string, contactKey: string): Promise<TicketDocument | null> {
    return this.tickets
      .findOne({ $or: [{ personId }, { contactKey }], status: { $in: OPEN_STATUSES } })
      .sort({ lastMessageAt: -1 })
      .lean<TicketDocument>()
      .exec();
  }

  /** Tickets of people found to be one person follow the person that stays. */
  async movePeople(from: string[], personId: string): Promise<void> {
    if (from.length > 0) await this.tickets.updateMany({ personId: { $in: from } }, { $set: { personId } }).exec();
  }

  /** A resolved ticket the customer wrote back on opens again (conditional: only a resolved one changes). */
  async reopenTicket(ticketId: string, at: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOneAndUpdate(
        { _id: ticketId, status: 'resolved' },
        { $set: { status: 'open', updatedAt: new Date() }, $unset: { assigneeId: 1 }, $max: { lastMessageAt: at } },
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

  private async nextTicketNumber(): Promise<number> {
    // Two first-ever upserts can race; the loser gets a duplicate-key error and increments again.
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: 1 } }, { upsert: true, new: true })
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

  /** The ticket waits for the customer; null when it is resolved (or unknown). */
  setPending(ticketId: string, at: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOneAndUpdate({ _id: ticketId, status: { $in: ['open', 'assigned', 'pending'] } }, { $set: { status: 'pending', updatedAt: at } }, { new: true })
      .lean<TicketDocument>()
      .exec();
  }

  /** The customer wrote again: a pending ticket goes back to its agent, or to the queue without one. */
  async reactivate(ticketId: string, at: Date): Promise<void> {
    await this.tickets.updateOne({ _id: ticketId, status: 'pending', assigneeId: { $exists: true } }, { $set: { status: 'assigned', updatedAt: at } }).exec();
    await this.tickets.updateOne({ _id: ticketId, status: 'pending' }, { $set: { status: 'open', updatedAt: at } }).exec();
  }

  /** The person's most recently resolved ticket, resolved since `since`: where a survey answer belongs. */
  findRecentlyResolved(personId: string, contactKey: string, since: Date): Promise<TicketDocument | null> {
    return this.tickets
      .findOne({ $or: [{ personId }, { contactKey }], status: 'resolved', updatedAt: { $gte: since } })
      .sort({ updatedAt: -1 })
      .lean<TicketDocument>()
      .exec();
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
