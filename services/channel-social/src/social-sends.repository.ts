import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from '@switchboard/persistence';

export type SendState = 'sending' | 'sent' | 'failed';

export interface SocialSendDocument {
  /** The notification id: one send per notification, however often Kafka delivers it. */
  _id: string;
  provider: string;
  recipient: string;
  state: SendState;
  /** WhatsApp: free `text` inside the 24-hour window, the approved `template` outside it. */
  mode?: 'text' | 'template';
  template?: { name: string; language: string };
  providerMessageId?: string;
  error?: { code: string; message: string };
  claimedAt: Date;
  sentAt?: Date;
}

export interface ProviderMessageDocument {
  /** `<provider>:<provider message id>`, so status webhooks find their notification. */
  _id: string;
  notificationId: string;
}

const sendSchema = new Schema<SocialSendDocument>(
  {
    _id: { type: String, required: true },
    provider: { type: String, required: true },
    recipient: { type: String, required: true },
    state: { type: String, enum: ['sending', 'sent', 'failed'], required: true },
    mode: String,
    template: { type: { _id: false, name: String, language: String }, default: undefined },
    providerMessageId: String,
    error: { type: { _id: false, code: String, message: String }, default: undefined },
    claimedAt: { type: Date, required: true },
    sentAt: Date,
  },
  { collection: 'social_sends', versionKey: false },
);
sendSchema.index({ provider: 1, recipient: 1, sentAt: 1 });

const providerMessageSchema = new Schema<ProviderMessageDocument>(
  { _id: { type: String, required: true }, notificationId: { type: String, required: true } },
  { collection: 'social_provider_messages', versionKey: false },
);

/** What channel-social sent, and under which provider message id. Owned by channel-social. */
export class SocialSendRepository {
  readonly sends: Model<SocialSendDocument>;
  readonly providerMessages: Model<ProviderMessageDocument>;

  constructor(connection: Connection) {
    this.sends = connection.model<SocialSendDocument>('SocialSend', sendSchema);
    this.providerMessages = connection.model<ProviderMessageDocument>('SocialProviderMessage', providerMessageSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.sends.createIndexes();
    await this.providerMessages.createIndexes();
  }

  /** Claims the notification before calling the provider; returns the earlier attempt when there was one. */
  async claim(notificationId: string, provider: string, recipient: string, at: Date): Promise<{ claimed: true } | { claimed: false; earlier: SocialSendDocument }> {
    try {
      await this.sends.create({ _id: notificationId, provider, recipient, state: 'sending', claimedAt: at });
      return { claimed: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const earlier = await this.sends.findById(notificationId).lean<SocialSendDocument>().exec();
      if (!earlier) throw error;
      return { claimed: false, earlier };
    }
  }

  /** The provider was never reached: the claim goes, so a retry may send. */
  async release(notificationId: string): Promise<void> {
    await this.sends.deleteOne({ _id: notificationId, state: 'sending' });
  }

  async markSent(notificationId: string, provider: string, providerMessageId: string, at: Date, how: Pick<SocialSendDocument, 'mode' | 'template'>): Promise<void> {
    // The id mapping first: a status webhook may arrive as soon as the provider answered.
    await this.providerMessages.updateOne({ _id: `${provider}:${providerMessageId}` }, { $set: { notificationId } }, { upsert: true });
    await this.sends.updateOne({ _id: notificationId }, { $set: { state: 'sent', providerMessageId, sentAt: at, ...how } });
  }

  async markFailed(notificationId: string, error: { code: string; message: string }, how: Pick<SocialSendDocument, 'mode' | 'template'>): Promise<void> {
    await this.sends.updateOne({ _id: notificationId }, { $set: { state: 'failed', error, ...how } });
  }

  async notificationOf(provider: string, providerMessageId: string): Promise<string | undefined> {
    const found = await this.providerMessages.findById(`${provider}:${providerMessageId}`).lean<ProviderMessageDocument>().exec();
    return found?.notificationId;
  }

  /** Messenger watermark receipts: everything sent to the customer up to then (a bounded look back). */
  async sentUpTo(provider: string, recipient: string, upTo: Date, limit = 100): Promise<SocialSendDocument[]> {
    return this.sends
      .find({ provider, recipient, state: 'sent', sentAt: { $lte: upTo } })
      .sort({ sentAt: -1 })
      .limit(limit)
      .lean<SocialSendDocument[]>()
      .exec();
  }
}
