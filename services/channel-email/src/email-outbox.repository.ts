import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from '@switchboard/persistence';

export type EmailOutboxStatus = 'sending' | 'retry' | 'sent' | 'failed';

export interface EmailOutboxDocument {
  /** The notification id: one record, so one send, per notification however often Kafka delivers it. */
  _id: string;
  ticketNumber: number;
  to: string;
  messageId: string;
  status: EmailOutboxStatus;
  attempts: number;
  error?: { code?: string; message: string };
  updatedAt: Date;
}

const outboxSchema = new Schema<EmailOutboxDocument>(
  {
    _id: { type: String, required: true },
    ticketNumber: { type: Number, required: true },
    to: { type: String, required: true },
    messageId: { type: String, required: true },
    status: { type: String, enum: ['sending', 'retry', 'sent', 'failed'], required: true },
    attempts: { type: Number, required: true },
    error: { type: { _id: false, code: String, message: String }, required: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'email_outbox', versionKey: false },
);

/** The mail channel's record of what it sent. Owned by channel-email. */
export class EmailOutboxRepository {
  readonly model: Model<EmailOutboxDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<EmailOutboxDocument>('EmailOutbox', outboxSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * The right to send: true for a new notification, or one whose last attempt failed temporarily.
   * Otherwise the existing record (already sent, refused, or being sent by a run that may have
   * crashed mid-send, where sending again could mail the customer twice).
   */
  async claim(record: Omit<EmailOutboxDocument, 'status' | 'attempts' | 'updatedAt'>, now: Date): Promise<true | EmailOutboxDocument> {
    try {
      await this.model.create({ ...record, status: 'sending', attempts: 1, updatedAt: now });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const retried = await this.model.updateOne({ _id: record._id, status: 'retry' }, { $set: { status: 'sending', updatedAt: now }, $inc: { attempts: 1 } });
    if (retried.modifiedCount > 0) return true;
    const existing = await this.model.findById(record._id).lean<EmailOutboxDocument>().exec();
    if (!existing) throw new Error(`email outbox record ${record._id} vanished`);
    return existing;
  }

  async finish(id: string, status: Exclude<EmailOutboxStatus, 'sending'>, now: Date, error?: EmailOutboxDocument['error']): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status, updatedAt: now, ...(error ? { error } : {}) } });
  }
}
