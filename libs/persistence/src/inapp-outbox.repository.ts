import { Connection, Model, mongo, Schema } from 'mongoose';
import { findByIds } from './find-by-ids';
import { insertManyOnce } from './insert-many-once';

export interface InappOutboxDocument {
  /** The notification id (or the customer message's event id): a redelivery is stored once. */
  _id: string;
  userId: string;
  /** Who wrote it: the customer's own messages are kept too, so the app can show the whole conversation. */
  from?: 'customer' | 'support';
  ticketId?: string;
  ticketNumber?: number;
  kind: string;
  text: string;
  createdAt: Date;
  delivered: boolean;
  deliveredAt?: Date;
}

const outboxSchema = new Schema<InappOutboxDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    from: { type: String, enum: ['customer', 'support'], default: 'support' },
    ticketId: String,
    ticketNumber: Number,
    kind: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
    delivered: { type: Boolean, required: true },
    deliveredAt: Date,
  },
  { collection: 'inapp_outbox', versionKey: false },
);
outboxSchema.index({ userId: 1, delivered: 1, createdAt: 1 });

/** In-app messages waiting for, or already pushed to, the customer's app. Owned by channel-inapp. */
export class InappOutboxRepository {
  readonly model: Model<InappOutboxDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<InappOutboxDocument>('InappOutbox', outboxSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  private get raw(): mongo.Collection<InappOutboxDocument> {
    return this.model.collection as unknown as mongo.Collection<InappOutboxDocument>;
  }

  /**
   * Messages stored with one insert (support's to push, or the customer's own for the
   * conversation history, stored delivered); one already there (a redelivery) is among `duplicates`.
   */
  addMany(messages: readonly InappOutboxDocument[]): Promise<{ inserted: InappOutboxDocument[]; duplicates: InappOutboxDocument[] }> {
    return insertManyOnce(this.raw, messages);
  }

  pending(userId: string, limit = 100): Promise<InappOutboxDocument[]> {
    return this.model.find({ userId, delivered: false }).sort({ createdAt: 1 }).limit(limit).lean<InappOutboxDocument[]>().exec();
  }

  history(userId: string, limit = 50): Promise<InappOutboxDocument[]> {
    return this.model.find({ userId }).sort({ createdAt: -1 }).limit(limit).lean<InappOutboxDocument[]>().exec();
  }

  /**
   * Marks delivered the acknowledged messages that are the acknowledging user's and not delivered
   * yet, and returns their ids. Read by `{_id: {$in}}`, then updated by it alone: FerretDB v1
   * matches `{_id, userId, delivered}` in Go over every message ever stored. Two acks racing could
   * both get an id back (FerretDB never made the conditional update atomic either); their receipts
   * share one event id, which the notifier records once.
   */
  async markDeliveredMany(acks: readonly { id: string; userId: string }[], at: Date): Promise<string[]> {
    const stored = await findByIds(this.raw, acks.map((a) => a.id), { userId: 1, delivered: 1 });
    const fresh = [...new Set(acks.filter((a) => stored.get(a.id)?.userId === a.userId && stored.get(a.id)?.delivered === false).map((a) => a.id))];
    if (fresh.length > 0) await this.raw.updateMany({ _id: { $in: fresh } }, { $set: { delivered: true, deliveredAt: at } });
    return fresh;
  }
}
