import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from './mongo-connection';

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

  /** Returns false when the message was already in the outbox. */
  async add(message: Omit<InappOutboxDocument, 'delivered' | 'deliveredAt'>, delivered = false): Promise<boolean> {
    try {
      await this.model.create({ from: 'support', ...message, delivered });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The customer's own message, for the conversation history; never pushed back to them. */
  async recordCustomerMessage(message: { _id: string; userId: string; text: string; createdAt: Date }): Promise<void> {
    await this.add({ ...message, from: 'customer', kind: 'customer_message' }, true);
  }

  pending(userId: string, limit = 100): Promise<InappOutboxDocument[]> {
    return this.model.find({ userId, delivered: false }).sort({ createdAt: 1 }).limit(limit).lean<InappOutboxDocument[]>().exec();
  }

  history(userId: string, limit = 50): Promise<InappOutboxDocument[]> {
    return this.model.find({ userId }).sort({ createdAt: -1 }).limit(limit).lean<InappOutboxDocument[]>().exec();
  }

  /**
   * True for the call that flipped it (a repeated ack gets false). Read, then updated by `_id`
   * alone: FerretDB v1 matches `{_id, userId, delivered}` in Go over every message ever stored. Two
   * acks racing could both get true (FerretDB never made the conditional update atomic either);
   * their receipts share one event id, which the notifier records once.
   */
  async markDelivered(id: string, userId: string, at: Date): Promise<boolean> {
    const current = await this.model.findById(id, { userId: 1, delivered: 1 }).lean<Pick<InappOutboxDocument, 'userId' | 'delivered'>>().exec();
    if (!current || current.userId !== userId || current.delivered) return false;
    await this.model.updateOne({ _id: id }, { $set: { delivered: true, deliveredAt: at } });
    return true;
  }
}
