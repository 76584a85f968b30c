import { Collection, Connection } from 'mongoose';
import { Category, Language } from '@switchboard/contracts';
import { isDuplicateKey } from './mongo-connection';
import { TicketDocument, TicketMessageDocument } from './ticket.schema';

/**
 * A category an agent set on a ticket, kept as a labelled example for the classifier: what the
 * customer wrote, what the classifier said and what the agent decided. `_id` is the command's
 * eventId, so a redelivered command is stored once.
 */
export interface ClassificationCorrectionDocument {
  _id: string;
  ticketId: string;
  /** The customer's messages on the ticket, oldest first, separated by blank lines. */
  text: string;
  /** Subject of the first message that had one (email). */
  subject?: string;
  language: Language;
  channel: string;
  oldCategory: Category;
  newCategory: Category;
  by: { id: string; role: string };
  correctedAt: Date;
}

export interface CorrectionInput {
  eventId: string;
  ticketId: string;
  category: Category;
  by: { id: string; role: string };
  at: Date;
}

/** Longest text kept per correction: the classifier reads no more than 4,000 characters anyway. */
const MAX_TEXT = 8_000;

/** Agents' corrections of the classifier. The router writes them; the classifier's export command reads them. */
export class ClassificationCorrectionRepository {
  readonly corrections: Collection<ClassificationCorrectionDocument>;
  private readonly tickets: Collection<TicketDocument>;
  private readonly messages: Collection<TicketMessageDocument>;

  constructor(connection: Connection) {
    this.corrections = connection.collection<ClassificationCorrectionDocument>('classification_corrections');
    this.tickets = connection.collection<TicketDocument>('tickets');
    this.messages = connection.collection<TicketMessageDocument>('ticket_messages');
  }

  async ensureIndexes(): Promise<void> {
    await this.corrections.createIndex({ correctedAt: 1 });
  }

  /**
   * Stores the correction with the ticket's text and its category before the change; call it
   * before the new category is written. Returns false when the ticket is unknown or the command
   * was stored already (a redelivery: the first record, with the category it replaced, stays).
   */
  async record(input: CorrectionInput): Promise<boolean> {
    if (await this.corrections.findOne({ _id: input.eventId }, { projection: { _id: 1 } })) return false;
    const ticket = await this.tickets.findOne({ _id: input.ticketId }, { projection: { category: 1, language: 1, channel: 1 } });
    if (!ticket) return false;
    const messages = await this.messages
      .find({ ticketId: input.ticketId, direction: 'inbound', autoSubmitted: { $ne: true } }, { projection: { text: 1, subject: 1, receivedAt: 1 } })
      .sort({ receivedAt: 1, _id: 1 })
      .toArray();
    const text = messages
      .map((m) => (m.text ?? '').trim())
      .filter(Boolean)
      .join('\n\n')
      .slice(0, MAX_TEXT);
    const subject = messages.find((m) => typeof m.subject === 'string' && m.subject.trim())?.subject?.trim();
    const doc: Omit<ClassificationCorrectionDocument, '_id'> = {
      ticketId: input.ticketId,
      text,
      ...(subject ? { subject } : {}),
      language: ticket.language,
      channel: ticket.channel,
      oldCategory: ticket.category,
      newCategory: input.category,
      by: { id: input.by.id, role: input.by.role },
      correctedAt: input.at,
    };
    try {
      const result = await this.corrections.updateOne({ _id: input.eventId }, { $setOnInsert: doc }, { upsert: true });
      return result.upsertedCount === 1;
    } catch (error) {
      // Two deliveries raced to insert it: it is there.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Every correction, oldest first (the export command sorts again for a stable output). */
  all(): Promise<ClassificationCorrectionDocument[]> {
    return this.corrections.find({}).sort({ correctedAt: 1, _id: 1 }).toArray();
  }
}
