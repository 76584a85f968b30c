import { Connection, Model, mongo, Schema } from 'mongoose';
import { insertManyOnce, isDuplicateKey } from '@switchboard/persistence';

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

/** `<notificationId>#<attempt>`: who may make a retry's attempt, decided by a unique insert. */
interface EmailAttemptDocument {
  _id: string;
  at: Date;
}

const attemptSchema = new Schema<EmailAttemptDocument>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'email_outbox_attempts', versionKey: false });

/** The mail channel's record of what it sent. Owned by channel-email. */
export class EmailOutboxRepository {
  readonly model: Model<EmailOutboxDocument>;
  private readonly attempts: Model<EmailAttemptDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<EmailOutboxDocument>('EmailOutbox', outboxSchema);
    this.attempts = connection.model<EmailAttemptDocument>('EmailOutboxAttempt', attemptSchema);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.model.createIndexes(), this.attempts.createIndexes()]);
  }

  /**
   * The right to send: true for a new notification, or one whose last attempt failed temporarily.
   * Otherwise the existing record (already sent, refused, or being sent by a run that may have
   * crashed mid-send, where sending again could mail the customer twice).
   * A retry is claimed by inserting its attempt's key, not by a conditional update: FerretDB v1
   * lets several concurrent `updateOne({status: 'retry'})` all match, and each would send.
   */
  async claim(record: Omit<EmailOutboxDocument, 'status' | 'attempts' | 'updatedAt'>, now: Date): Promise<true | EmailOutboxDocument> {
    try {
      await this.model.create({ ...record, status: 'sending', attempts: 1, updatedAt: now });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.model.findById(record._id).lean<EmailOutboxDocument>().exec();
    if (!existing) throw new Error(`email outbox record ${record._id} vanished`);
    if (existing.status !== 'retry') return existing;
    const attempt = existing.attempts + 1;
    try {
      await this.attempts.create({ _id: `${record._id}#${attempt}`, at: now });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Another run took this attempt and is sending it now.
      return { ...existing, status: 'sending', attempts: attempt };
    }
    await this.model.updateOne({ _id: record._id }, { $set: { status: 'sending', attempts: attempt, updatedAt: now } });
    return true;
  }

  /**
   * New notifications claimed in one insert: the ids inserted may be sent; a duplicate was claimed
   * before (a redelivery) and goes through `claim`, which tells what became of it.
   */
  async claimMany(records: readonly Omit<EmailOutboxDocument, 'status' | 'attempts' | 'updatedAt'>[], now: Date): Promise<{ inserted: string[]; duplicates: string[] }> {
    const raw = this.model.collection as unknown as mongo.Collection<EmailOutboxDocument>;
    const { inserted, duplicates } = await insertManyOnce(
      raw,
      records.map((r) => ({ ...r, status: 'sending' as const, attempts: 1, updatedAt: now })),
    );
    return { inserted: inserted.map((d) => d._id), duplicates: duplicates.map((d) => d._id) };
  }

  /** One update by `_id` for many (FerretDB reads `{_id: {$in}}` by its index). */
  async finishMany(ids: readonly string[], status: 'sent', now: Date): Promise<void> {
    if (ids.length > 0) await this.model.updateMany({ _id: { $in: ids } }, { $set: { status, updatedAt: now } });
  }

  /** Claims given back unsent (status `retry`): a redelivery claims the next attempt and sends. */
  async releaseMany(ids: readonly string[], now: Date, error: NonNullable<EmailOutboxDocument['error']>): Promise<void> {
    if (ids.length > 0) await this.model.updateMany({ _id: { $in: ids } }, { $set: { status: 'retry', updatedAt: now, error } });
  }

  async finish(id: string, status: Exclude<EmailOutboxStatus, 'sending'>, now: Date, error?: EmailOutboxDocument['error']): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status, updatedAt: now, ...(error ? { error } : {}) } });
  }
}
