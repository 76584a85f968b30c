import { Connection, Model, Schema } from 'mongoose';
import { CHANNELS, Channel, DeliveryStatus, DELIVERY_STATUSES, OutboundMessage } from '@switchboard/contracts';
import { isDuplicateKey } from './mongo-connection';

export interface NotificationDocument {
  /** Deterministic per ticket and kind: a redelivered ticket event cannot notify twice. */
  _id: string;
  ticketId: string;
  kind: OutboundMessage['kind'];
  channel: Channel;
  contactKey: string;
  language: string;
  text: string;
  status: DeliveryStatus;
  deliveries: { status: DeliveryStatus; at: Date; error?: string }[];
  createdAt: Date;
  updatedAt: Date;
}

const notificationSchema = new Schema<NotificationDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    kind: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    contactKey: { type: String, required: true },
    language: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    deliveries: { type: [{ _id: false, status: String, at: Date, error: String }], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notifications', versionKey: false },
);
notificationSchema.index({ ticketId: 1, createdAt: 1 });

/** What the customer has been told, and whether it reached them. Only the notifier writes here. */
export class NotificationRepository {
  readonly model: Model<NotificationDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<NotificationDocument>('Notification', notificationSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /** Returns the stored notification: the new one, or the one a previous delivery of the event stored. */
  async insertOnce(notification: NotificationDocument): Promise<NotificationDocument> {
    try {
      await this.model.create(notification);
      return notification;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.model.findById(notification._id).lean<NotificationDocument>().exec();
      if (!existing) throw error;
      return existing;
    }
  }

  /** Appends a receipt; returns false for a notification we never sent. */
  async recordDelivery(id: string, status: DeliveryStatus, at: Date, error?: string): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id },
      { $set: { status, updatedAt: at }, $push: { deliveries: { status, at, ...(error ? { error } : {}) } } },
    );
    return result.matchedCount > 0;
  }
}
