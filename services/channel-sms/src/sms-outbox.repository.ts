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
  /** Set when a status callback stored the record (it came before the create answer was stored, or healed a lost one). */
  callbackStatus?: string;
  error?: { code: string; message: string };
  createdAt: Date;
  updatedAt: Date;
}

/** The right to call Twilio for a notification, taken before the call; `sms_claims`. */
interface SmsClaimDocument {
  _id: string;
  to: string;
  state: 'sending' | 'retry';
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

const outcomeSchema = new Schema<SmsOutboxDocument>(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true },
    // `sending` and `retry` only in records stored before claims had their own collection.
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
// Meant for a reconciliation by SID; the status check (check-delivery.use-case.ts) reads SIDs by notification id instead and does not use it.
outcomeSchema.index({ messageSid: 1 }, { sparse: true });

const claimSchema = new Schema<SmsClaimDocument>(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true },
    state: { type: String, enum: ['sending', 'retry'], required: true },
    attempts: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'sms_claims', versionKey: false },
);

export interface SentRecord {
  notificationId: string;
  to: string;
  /** The claim's attempts (1, or more after claims given back). */
  attempts: number;
  messageSid: string;
  createStatus: string;
}

export type Claim = { claimed: true; attempts: number } | { claimed: false; existing: SmsOutboxDocument };

/**
 * Outbound SMS by notification; owned by channel-sms. Two collections, each written by insert
 * only on the way of a message that goes well: `sms_claims` (taken before the Twilio call, so a
 * redelivery never sends twice) and `sms_outbox` (what became of it: `sent` with the SID, or
 * `refused`). A record lives in `sms_outbox` once the outcome is known, so `sms_outbox` alone says
 * what was sent; a claim without an outcome is still `sending` (or was given back, `retry`).
 *
 * Why two: FerretDB v1 runs every update statement as its own transaction that reads, decodes,
 * re-encodes and rewrites the whole document; an insertMany of a batch is one transaction. With
 * the outcome in the claim's document, every SMS cost one update statement; now a batch's outcomes
 * are one insertMany, and only the rare paths (a claim given back, taken again) update.
 */
export class SmsOutboxRepository {
  readonly model: Model<SmsOutboxDocument>;
  readonly claims: Model<SmsClaimDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<SmsOutboxDocument>('SmsOutbox', outcomeSchema);
    this.claims = connection.model<SmsClaimDocument>('SmsClaim', claimSchema);
  }

  /** The driver's collections, for batched writes (mongoose adds nothing to documents built whole). */
  private get raw(): mongo.Collection<SmsOutboxDocument> {
    return this.model.collection as unknown as mongo.Collection<SmsOutboxDocument>;
  }

  private get rawClaims(): mongo.Collection<SmsClaimDocument> {
    return this.claims.collection as unknown as mongo.Collection<SmsClaimDocument>;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
    await this.claims.createIndexes();
  }

  /** Where a notification's SMS stands: its outcome, else its claim; null when never claimed. */
  async stateOf(notificationId: string): Promise<SmsOutboxDocument | null> {
    const outcome = await this.model.findById(notificationId).lean<SmsOutboxDocument>().exec();
    return outcome ?? (await this.claims.findById(notificationId).lean<SmsClaimDocument>().exec());
  }

  /**
   * The right to call Twilio for each notification of a batch: the first delivery gets it, and a
   * retry after a clean failure. One insertMany (one SQLite transaction on FerretDB, not one
   * commit per message); the batch's outcomes are read with one `{_id: {$in}}` read (a
   * redelivery's, and any stored before claims had a collection of their own), the claims
   * already there (a redelivery) with another, and those given back (`retry`) claimed again in
   * one bulkWrite. Read, then update by `_id` alone: one notification is handled
   * on one partition at a time, so nothing claims it between the two.
   */
  async claimMany(claims: readonly { notificationId: string; to: string }[], at: Date): Promise<Map<string, Claim>> {
    const documents = claims.map(({ notificationId, to }): SmsClaimDocument => ({ _id: notificationId, to, state: 'sending', attempts: 1, createdAt: at, updatedAt: at }));
    const { inserted, duplicates } = await insertManyOnce(this.rawClaims, documents);
    // Every id's outcome, new claims included: a record stored before claims had their own
    // collection (when `sms_outbox` held both) must stop a redelivery as a claim would.
    const outcomes = await findByIds(this.raw, documents.map((d) => d._id));
    const result = new Map<string, Claim>();
    const legacyRetries: string[] = [];
    for (const { _id: id } of inserted) {
      const outcome = outcomes.get(id);
      if (!outcome) result.set(id, { claimed: true, attempts: 1 });
      else if (outcome.state === 'retry') {
        // Given back under the old layout: the claim is now in `sms_claims`; the old record goes.
        legacyRetries.push(id);
        result.set(id, { claimed: true, attempts: outcome.attempts + 1 });
      } else result.set(id, { claimed: false, existing: outcome });
    }
    if (legacyRetries.length > 0) await this.raw.deleteMany({ _id: { $in: legacyRetries } });
    if (duplicates.length === 0) return result;
    const ids = [...new Set(duplicates.map((d) => d._id))];
    const existing = await findByIds(this.rawClaims, ids);
    const again: string[] = [];
    for (const id of ids) {
      const outcome = outcomes.get(id);
      const claim = existing.get(id);
      if (outcome) result.set(id, { claimed: false, existing: outcome });
      else if (!claim) throw new Error(`sms_claims ${id} vanished while claiming it`);
      else if (claim.state === 'retry') {
        again.push(id);
        result.set(id, { claimed: true, attempts: claim.attempts + 1 });
      } else result.set(id, { claimed: false, existing: claim });
    }
    await bulkWriteInChunks(this.rawClaims, again.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { state: 'sending' as const, updatedAt: at }, $inc: { attempts: 1 } } } })));
    return result;
  }

  /**
   * Records accepted messages with one insertMany; returns whether a status callback had stored
   * the record first for each (then the create answer is old news): a duplicate `_id` says so.
   */
  async markSentMany(sent: readonly SentRecord[], at: Date): Promise<Map<string, boolean>> {
    const first = await this.storeSent(sent, at);
    return new Map(sent.map((s) => [s.notificationId, first.has(s.notificationId)]));
  }

  /** The sent records in one insertMany; returns the ids a status callback had stored first. */
  async storeSent(sent: readonly SentRecord[], at: Date): Promise<Set<string>> {
    const { duplicates } = await insertManyOnce(
      this.raw,
      sent.map(({ notificationId, to, attempts, messageSid, createStatus }): SmsOutboxDocument => ({ _id: notificationId, to, state: 'sent', attempts, messageSid, createStatus, createdAt: at, updatedAt: at })),
    );
    return new Set(duplicates.map((d) => d._id));
  }

  async markRefused(claim: { notificationId: string; to: string; attempts: number }, error: { code: string; message: string }, at: Date): Promise<void> {
    await insertManyOnce(this.raw, [{ _id: claim.notificationId, to: claim.to, state: 'refused', attempts: claim.attempts, error, createdAt: at, updatedAt: at }]);
  }

  /** Gives the claim back, unless a status callback showed in the meantime that Twilio has the message. */
  async markRetry(notificationId: string, at: Date): Promise<void> {
    await this.markRetryMany([notificationId], at);
  }

  /** `markRetry` for a batch's messages: one `{_id: {$in}}` read of their outcomes and one bulkWrite of their claims. */
  async markRetryMany(notificationIds: readonly string[], at: Date): Promise<void> {
    if (notificationIds.length === 0) return;
    const outcomes = await findByIds(this.raw, notificationIds, { _id: 1 });
    const given = [...new Set(notificationIds)].filter((id) => !outcomes.has(id));
    await bulkWriteInChunks(this.rawClaims, given.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { state: 'retry' as const, updatedAt: at } } } })));
  }

  /** The Message SIDs of these notifications' sent records, in one `{_id: {$in}}` read (for a status check). */
  async sidsOf(notificationIds: Iterable<string>): Promise<Map<string, string>> {
    const outcomes = await findByIds(this.raw, notificationIds, { messageSid: 1 });
    return new Map([...outcomes].flatMap(([id, o]) => (o.messageSid ? [[id, o.messageSid] as const] : [])));
  }

  /**
   * Twilio's callbacks also carry the SID, which heals a record whose create answer never arrived.
   * Reads by `_id`, and an insert only to heal: FerretDB v1 hands only `{_id}` filters to SQLite
   * and matches any other (`{_id, state: {$in}}`) in Go over every record ever sent.
   */
  async recordCallback(notificationId: string, messageSid: string, status: string, at: Date): Promise<void> {
    await this.recordCallbacks([{ notificationId, messageSid, status }], at);
  }

  /**
   * Several callbacks at once, as `recordCallback` would one after another: one `{_id: {$in}}`
   * read of their outcomes; only for those without one, a read of their claims and one
   * insertMany of the healed outcomes.
   */
  async recordCallbacks(callbacks: readonly { notificationId: string; messageSid: string; status: string }[], at: Date): Promise<void> {
    const first = new Map<string, { messageSid: string; status: string }>();
    for (const c of callbacks) if (!first.has(c.notificationId)) first.set(c.notificationId, c);
    if (first.size === 0) return;
    const outcomes = await findByIds(this.raw, first.keys(), { _id: 1 });
    // On a record already stored, a callback writes nothing: every write holds FerretDB's write lock, and this was one per message.
    const open = [...first.keys()].filter((id) => !outcomes.has(id));
    if (open.length === 0) return;
    const claims = await findByIds(this.rawClaims, open);
    // Twilio has the message after all (an answer lost in transit, or not stored yet): it must not be sent again.
    // `callbackStatus` tells markSentMany and a redelivery's repeat that the create answer is old news.
    const healed = open.flatMap((id): SmsOutboxDocument[] => {
      const claim = claims.get(id);
      const callback = first.get(id);
      if (!claim || !callback) return [];
      return [{ _id: id, to: claim.to, state: 'sent', attempts: claim.attempts, messageSid: callback.messageSid, callbackStatus: callback.status, createdAt: at, updatedAt: at }];
    });
    // A duplicate is the create answer's record, stored meanwhile: nothing to heal.
    await insertManyOnce(this.raw, healed);
  }
}
