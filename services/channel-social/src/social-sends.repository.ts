import { Connection, Model, mongo, Schema } from 'mongoose';
import { Coalescer } from '@switchboard/channels';
import { bulkWriteInChunks, insertManyOnce } from '@switchboard/persistence';

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

type Sent = { notificationId: string; provider: string; providerMessageId: string; at: Date; how: Pick<SocialSendDocument, 'mode' | 'template'> };

/**
 * What channel-social sent, and under which provider message id. Owned by channel-social.
 * Claims and sent records of the sends in flight are written together (one insert, one
 * id-mapping insert and one bulk update for all of them): one command each per message queued
 * for the database's one write lock and made social acknowledgements the slowest under load.
 */
export class SocialSendRepository {
  readonly sends: Model<SocialSendDocument>;
  readonly providerMessages: Model<ProviderMessageDocument>;
  private readonly claims = new Coalescer<SocialSendDocument, boolean>(async (docs) => {
    const { duplicates } = await insertManyOnce(this.raw, docs);
    const refused = new Set(duplicates);
    return docs.map((d) => !refused.has(d));
  });
  private readonly sent = new Coalescer<Sent>((sent) => this.markSentMany(sent));

  constructor(connection: Connection) {
    this.sends = connection.model<SocialSendDocument>('SocialSend', sendSchema);
    this.providerMessages = connection.model<ProviderMessageDocument>('SocialProviderMessage', providerMessageSchema);
  }

  private get raw(): mongo.Collection<SocialSendDocument> {
    return this.sends.collection as unknown as mongo.Collection<SocialSendDocument>;
  }

  async ensureIndexes(): Promise<void> {
    await this.sends.createIndexes();
    await this.providerMessages.createIndexes();
  }

  /** Claims the notification before calling the provider; returns the earlier attempt when there was one. */
  async claim(notificationId: string, provider: string, recipient: string, at: Date): Promise<{ claimed: true } | { claimed: false; earlier: SocialSendDocument }> {
    if (await this.claims.add({ _id: notificationId, provider, recipient, state: 'sending', claimedAt: at })) return { claimed: true };
    const earlier = await this.sends.findById(notificationId).lean<SocialSendDocument>().exec();
    if (!earlier) throw new Error(`social send ${notificationId} refused as a duplicate but not found`);
    return { claimed: false, earlier };
  }

  /** The provider was never reached: the claim goes, so a retry may send. */
  async release(notificationId: string): Promise<void> {
    await this.sends.deleteOne({ _id: notificationId, state: 'sending' });
  }

  async markSent(notificationId: string, provider: string, providerMessageId: string, at: Date, how: Pick<SocialSendDocument, 'mode' | 'template'>): Promise<void> {
    await this.sent.add({ notificationId, provider, providerMessageId, at, how });
  }

  private async markSentMany(sent: readonly Sent[]): Promise<void> {
    // The id mappings first: a status webhook may arrive as soon as the provider answered.
    const mappings = await insertManyOnce(
      this.providerMessages.collection as unknown as mongo.Collection<ProviderMessageDocument>,
      sent.map((s) => ({ _id: `${s.provider}:${s.providerMessageId}`, notificationId: s.notificationId })),
    );
    for (const again of mappings.duplicates) await this.providerMessages.updateOne({ _id: again._id }, { $set: { notificationId: again.notificationId } });
    // In commands of at most 25 statements: a larger update command can wedge FerretDB's pool (bounded.ts).
    await bulkWriteInChunks(
      this.raw,
      sent.map((s) => ({
        updateOne: { filter: { _id: s.notificationId }, update: { $set: { state: 'sent' as const, providerMessageId: s.providerMessageId, sentAt: s.at, ...s.how } } },
      })),
    );
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
