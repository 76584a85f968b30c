import { Connection, Model, mongo, Schema } from 'mongoose';
import { bulkWriteInChunks, findByIds, insertManyOnce } from '@switchboard/persistence';

/**
 * `sending`: claimed, the Messages API call is under way (or the process died during it).
 * `retry`: the call failed in a way that sent nothing; the next delivery of the event may send.
 * `sent`: Twilio accepted it (sid known). `refused`: Twilio refused it for good.
 */
export type SmsOutboxState = 'sending' | 'retry' | 'sent' | 'refused';

export interface SmsOutboxDocument {
  /** The notification id: one record, so one message, per notification however often Kafka delivers it. */
  _id: string;
  to: string;
  state: SmsOutboxState;
  attempts: number;
  messageSid?: string;
  /** Twilio's status in its create answer (queued, accepted). */
  createStatus?: string;
  /** The last status a callback reported; a create answer arriving after it is old news. */
  callbackStatus?: string;
  error?: { code: string; message: string };
  createdAt: Date;
  updatedAt: Date;
}

const outboxSchema = new Schema<SmsOutboxDocument>(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true },
    state: { type: String, enum: ['sending', 'retry', 'sent', 'refused'], required: true },
    attempts: { type: Number, required: true },
    messageSid: String,
    createStatus: String,
    callbackStatus: String,
    error: { _id: false, code: String, message: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'sms_outbox', versionKey: false },
);
outboxSchema.index({ messageSid: 1 }, { sparse: true });

export interface SentRecord {
  notificationId: string;
  messageSid: string;
  createStatus: string;
}

export type Claim = { claimed: true } | { claimed: false; existing: SmsOutboxDocument };

/** Outbound SMS by notification; owned by channel-sms. */
export class SmsOutboxRepository {
  readonly model: Model<SmsOutboxDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<SmsOutboxDocument>('SmsOutbox', outboxSchema);
  }

  /** The driver's collection, for batched writes (mongoose adds nothing to documents built whole). */
  private get raw(): mongo.Collection<SmsOutboxDocument> {
    return this.model.collection as unknown as mongo.Collection<SmsOutboxDocument>;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * The right to call Twilio for each notification of a batch: the first delivery gets it, and a
   * retry after a clean failure. One insertMany (one SQLite transaction on FerretDB, not one
   * commit per message); the notifications already claimed (a redelivery) are read back with one
   * `{_id: {$in}}` read, and those given back (`retry`) claimed again in one bulkWrite. Read, then
   * update by `_id` alone (see recordCallbacks): one notification is handled on one partition at
   * a time, so nothing claims it between the two.
   */
  async claimMany(claims: readonly { notificationId: string; to: string }[], at: Date): Promise<Map<string, Claim>> {
    const documents = claims.map(({ notificationId, to }): SmsOutboxDocument => ({ _id: notificationId, to, state: 'sending', attempts: 1, createdAt: at, updatedAt: at }));
    const { inserted, duplicates } = await insertManyOnce(this.raw, documents);
    const result = new Map<string, Claim>(inserted.map((d) => [d._id, { claimed: true }]));
    if (duplicates.length === 0) return result;
    const existing = await findByIds(this.raw, duplicates.map((d) => d._id));
    const again: string[] = [];
    for (const id of new Set(duplicates.map((d) => d._id))) {
      const record = existing.get(id);
      if (!record) throw new Error(`sms_outbox ${id} vanished while claiming it`);
      if (record.state === 'retry') again.push(id);
      result.set(id, record.state === 'retry' ? { claimed: true } : { claimed: false, existing: record });
    }
    await bulkWriteInChunks(this.raw, again.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { state: 'sending' as const, updatedAt: at }, $inc: { attempts: 1 } } } })));
    return result;
  }

  /**
   * Records a batch's accepted messages with one bulkWrite of `_id`-keyed updates; returns whether
   * a status callback had come in first for each (then the create answer is old news), read after
   * the write with one `{_id: {$in}}` read, so a callback storing meanwhile is not missed.
   */
  async markSentMany(sent: readonly SentRecord[], at: Date): Promise<Map<string, boolean>> {
    if (sent.length === 0) return new Map();
    await this.storeSent(sent, at);
    return this.callbacksCameFirst(sent.map((s) => s.notificationId));
  }

  /** The sent records alone, in update commands of at most STATEMENTS_PER_UPDATE_COMMAND statements. */
  async storeSent(sent: readonly SentRecord[], at: Date): Promise<void> {
    await bulkWriteInChunks(
      this.raw,
      sent.map(({ notificationId, messageSid, createStatus }) => ({ updateOne: { filter: { _id: notificationId }, update: { $set: { state: 'sent' as const, messageSid, createStatus, updatedAt: at } } } })),
    );
  }

  /** Whether a status callback came before each sent record was stored: one `{_id: {$in}}` read. */
  async callbacksCameFirst(notificationIds: readonly string[]): Promise<Map<string, boolean>> {
    if (notificationIds.length === 0) return new Map();
    const records = await findByIds(this.raw, notificationIds, { callbackStatus: 1 });
    return new Map(notificationIds.map((id) => [id, Boolean(records.get(id)?.callbackStatus)]));
  }

  async markRefused(notificationId: string, error: { code: string; message: string }, at: Date): Promise<void> {
    await this.model.updateOne({ _id: notificationId }, { $set: { state: 'refused', error, updatedAt: at } });
  }

  /** Gives the claim back, unless a status callback showed in the meantime that Twilio has the message. */
  async markRetry(notificationId: string, at: Date): Promise<void> {
    await this.markRetryMany([notificationId], at);
  }

  /** `markRetry` for a batch's messages: one `{_id: {$in}}` read and one bulkWrite. */
  async markRetryMany(notificationIds: readonly string[], at: Date): Promise<void> {
    if (notificationIds.length === 0) return;
    const current = await findByIds(this.raw, notificationIds, { state: 1 });
    const given = [...current].filter(([, record]) => record.state === 'sending').map(([id]) => id);
    await bulkWriteInChunks(this.raw, given.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { state: 'retry' as const, updatedAt: at } } } })));
  }

  /**
   * Twilio's callbacks also carry the SID, which heals a record whose create answer never arrived.
   * A read by `_id`, and a write by `_id` alone only to heal: FerretDB v1 hands only `{_id}` filters
   * to SQLite and matches any other (`{_id, state: {$in}}`) in Go over every record ever sent.
   */
  async recordCallback(notificationId: string, messageSid: string, status: string, at: Date): Promise<void> {
    await this.recordCallbacks([{ notificationId, messageSid, status }], at);
  }

  /**
   * Several callbacks at once, as `recordCallback` would one after another: one `{_id: {$in}}`
   * read of their records, and the writes in one bulkWrite.
   */
  async recordCallbacks(callbacks: readonly { notificationId: string; messageSid: string; status: string }[], at: Date): Promise<void> {
    const first = new Map<string, { messageSid: string; status: string }>();
    for (const c of callbacks) if (!first.has(c.notificationId)) first.set(c.notificationId, c);
    const pending = [...first];
    const current = await findByIds(this.raw, first.keys(), { state: 1 });
    const updates: mongo.AnyBulkWriteOperation<SmsOutboxDocument>[] = [];
    pending.forEach(([id, { messageSid, status }]) => {
      const record = current.get(id);
      if (!record) return;
      // Twilio has the message after all (an answer lost in transit, or not stored yet): it must not be sent again.
      if (record.state !== 'sending' && record.state !== 'retry') return;
      // Only then is the callback written: `callbackStatus` tells markSentMany and a redelivery's repeat that
      // the create answer is old news. On a record already `sent`, the create receipt went out first, and a
      // redelivery repeating it repeats its event id, which the notifier records once; every write holds
      // FerretDB's write lock, and this was one per message.
      updates.push({ updateOne: { filter: { _id: id }, update: { $set: { callbackStatus: status, messageSid, updatedAt: at, state: 'sent' as const } } } });
    });
    await bulkWriteInChunks(this.raw, updates);
  }
}
