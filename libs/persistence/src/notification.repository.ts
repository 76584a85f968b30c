import { Collection, Connection, Model, mongo, Schema } from 'mongoose';
import { CHANNELS, Channel, DeliveryStatus, DELIVERY_STATUSES, deterministicId, OutboundMessage } from '@switchboard/contracts';
import { bulkWriteInChunks } from './bounded';
import { findByIds } from './find-by-ids';
import { insertManyOnce } from './insert-many-once';
import { isDuplicateKey } from './mongo-connection';

export interface NotificationDocument {
  /** Deterministic per ticket and kind: a redelivered ticket event cannot notify twice. */
  _id: string;
  ticketId: string;
  kind: OutboundMessage['kind'];
  channel: Channel;
  contactKey: string;
  /** What re-rendering it for another channel needs, when this one fails. */
  personId?: string;
  ticketNumber?: number;
  category?: string;
  /** Set on a message sent on another channel because this notification failed. */
  fallbackOf?: string;
  /** Set on a retry: the notification it sends again (same channel, same text), and which retry it is (1, 2, ...). */
  retryOf?: string;
  retry?: number;
  /** A retry waits until then; `dispatchedAt` once it was handed to the channel. */
  dueAt?: Date;
  dispatchedAt?: Date;
  /**
   * The message as handed to the channel, so a retry sends exactly the same: `outboundOf` rebuilds
   * it. A first notification keeps only what its own fields do not hold (`storedOutbound`: the
   * contact, an email's subject, HTML and In-Reply-To); a retry keeps the whole message.
   */
  outbound?: Record<string, unknown>;
  /** What the text was rendered from (ticket number, agent's reply...), so a fallback renders it for another channel. */
  vars?: Record<string, unknown>;
  /** Typed by an agent (agent replies): exempt from the automatic-message rate limit. */
  automatic?: boolean;
  /** Every retry and the fallback failed too: the customer was not reached (agents see this). */
  gaveUpAt?: Date;
  language: string;
  text: string;
  status: DeliveryStatus;
  /** The provider's id of the sent message and its error code, as last reported. */
  providerMessageId?: string;
  errorCode?: string;
  /** `receiptId`: the receipt's event id, so a redelivered receipt is recorded once. */
  deliveries: { status: DeliveryStatus; at: Date; providerMessageId?: string; errorCode?: string; error?: string; receiptId?: string }[];
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
    personId: String,
    ticketNumber: Number,
    category: String,
    fallbackOf: String,
    retryOf: String,
    retry: Number,
    dueAt: Date,
    dispatchedAt: Date,
    outbound: { type: Schema.Types.Mixed, default: undefined },
    automatic: Boolean,
    vars: { type: Schema.Types.Mixed, default: undefined },
    gaveUpAt: Date,
    language: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    providerMessageId: String,
    errorCode: String,
    deliveries: { type: [{ _id: false, status: String, at: Date, providerMessageId: String, errorCode: String, error: String, receiptId: String }], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notifications', versionKey: false },
);
notificationSchema.index({ ticketId: 1, createdAt: 1 });
notificationSchema.index({ contactKey: 1, createdAt: 1 });

/**
 * A retry waiting for its time, removed once it is handed to its channel: the retry dispatcher
 * polls this small collection, not `notifications`. FerretDB v1 matches any filter other than
 * `{_id}` in Go over every document, so a poll of `notifications` cost a full decode of every
 * notification ever sent, every second (about 0.3 s per poll after a few hundred notifications).
 */
export interface PendingRetryDocument {
  /** The retry's notification id. */
  _id: string;
  dueAt: Date;
  retryOf: string;
  retry: number;
  /** What to publish on `outbound.<channel>`, so dispatching reads nothing else. */
  outbound: Record<string, unknown>;
}

/** Automatic messages sent to one address in one clock hour: `_id` `<contactKey>|<hour since epoch>`. */
interface SendCounter {
  _id: string;
  n: number;
}

const HOUR_MS = 3_600_000;

/**
 * What a notification document keeps of its outbound message: the parts its own fields do not
 * hold. FerretDB v1 decodes and re-encodes the whole document for every receipt's update, and the
 * whole message stored again (the text twice, ids, kind, channel...) made it half as large again.
 */
export function storedOutbound(outbound: OutboundMessage): Record<string, unknown> {
  return {
    contact: outbound.contact,
    ...(outbound.subject !== undefined ? { subject: outbound.subject } : {}),
    ...(outbound.html !== undefined ? { html: outbound.html } : {}),
    ...(outbound.inReplyTo !== undefined ? { inReplyTo: outbound.inReplyTo } : {}),
  };
}

/** The message a notification was handed to its channel as (whole, or rebuilt from `storedOutbound`); undefined when none was stored. */
export function outboundOf(doc: NotificationDocument): OutboundMessage | undefined {
  const stored = doc.outbound;
  if (!stored) return undefined;
  if (stored['schemaVersion'] !== undefined) return stored as unknown as OutboundMessage;
  return {
    schemaVersion: 1,
    eventId: deterministicId('outbound', doc._id),
    notificationId: doc._id,
    kind: doc.kind,
    ticketId: doc.ticketId,
    ticketNumber: doc.ticketNumber ?? 0,
    channel: doc.channel,
    contact: stored['contact'] as OutboundMessage['contact'],
    contactKey: doc.contactKey,
    language: doc.language as OutboundMessage['language'],
    text: doc.text,
    ...(stored['subject'] !== undefined ? { subject: stored['subject'] as string } : {}),
    ...(stored['html'] !== undefined ? { html: stored['html'] as string } : {}),
    automatic: doc.automatic ?? true,
    ...(stored['inReplyTo'] !== undefined ? { inReplyTo: stored['inReplyTo'] as string } : {}),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** What the customer has been told, and whether it reached them. Only the notifier writes here. */
export class NotificationRepository {
  readonly model: Model<NotificationDocument>;
  private readonly counters: Collection<SendCounter>;
  readonly pendingRetries: Collection<PendingRetryDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<NotificationDocument>('Notification', notificationSchema);
    this.counters = connection.collection<SendCounter>('notification_send_counts');
    this.pendingRetries = connection.collection<PendingRetryDocument>('notification_retries');
  }

  /**
   * Automatic messages sent to the address in the last hour, estimated from this hour's count and
   * the part of the last hour's that is still inside the window. Read by `_id` only: a count over
   * `notifications` scans the collection on FerretDB v1, which pushes only `_id` lookups down,
   * and grew with every message sent (the notification benchmark's main cost).
   */
  async recentSendsTo(contactKey: string, now: Date): Promise<number> {
    return (await this.recentSends(contactKey, now)).count;
  }

  /** The estimate, and whether this hour's counter exists yet (so the next send can insert it rather than upsert). */
  async recentSends(contactKey: string, now: Date): Promise<{ count: number; counterExists: boolean }> {
    return (await this.recentSendsMany([contactKey], now)).get(contactKey) ?? { count: 0, counterExists: false };
  }

  /**
   * `recentSends` of every address of a batch with one `{_id: {$in}}` read of both hours'
   * counters: one round trip for the batch, where a `findOne` per counter cost two per address.
   */
  async recentSendsMany(contactKeys: Iterable<string>, now: Date): Promise<Map<string, { count: number; counterExists: boolean }>> {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const keys = [...new Set(contactKeys)];
    const counters = await findByIds(this.counters as unknown as mongo.Collection<SendCounter>, keys.flatMap((key) => [`${key}|${hour}`, `${key}|${hour - 1}`]));
    const stillInWindow = 1 - (now.getTime() % HOUR_MS) / HOUR_MS;
    return new Map(
      keys.map((key) => {
        const current = counters.get(`${key}|${hour}`);
        const previous = counters.get(`${key}|${hour - 1}`);
        return [key, { count: (current?.n ?? 0) + Math.floor((previous?.n ?? 0) * stillInWindow), counterExists: current !== undefined }];
      }),
    );
  }

  /**
   * Counts a batch's sends, several per address at once: the hour's new counters with one
   * insertMany (an upsert that creates costs FerretDB v1 a scan of the collection under its write
   * lock; an insert only checks the unique index), the others with one bulkWrite of `_id`-keyed
   * `$inc`s (a counter another instance created in the meantime gets the `$inc` too).
   */
  async countSends(sends: readonly { contactKey: string; n: number; counterExists: boolean }[], now: Date): Promise<void> {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const idOf = (contactKey: string) => `${contactKey}|${hour}`;
    const { duplicates } = await insertManyOnce(this.counters, sends.filter((s) => !s.counterExists).map((s) => ({ _id: idOf(s.contactKey), n: s.n })));
    const increments = [...sends.filter((s) => s.counterExists).map((s) => ({ _id: idOf(s.contactKey), n: s.n })), ...duplicates];
    if (increments.length === 0) return;
    await bulkWriteInChunks(
      this.counters as unknown as mongo.Collection<SendCounter>,
      increments.map(({ _id, n }) => ({ updateOne: { filter: { _id }, update: { $inc: { n } }, upsert: true } })),
    );
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
    await this.pendingRetries.createIndex({ dueAt: 1 });
  }

  /** The driver's collection, for batched reads and writes of documents built whole. */
  get raw(): mongo.Collection<NotificationDocument> {
    return this.model.collection as unknown as mongo.Collection<NotificationDocument>;
  }

  find(id: string): Promise<NotificationDocument | null> {
    return this.model.findById(id).lean<NotificationDocument>().exec();
  }

  /** The notifications with these ids (one with none is absent), in one `{_id: {$in}}` read per 500. */
  findMany(ids: Iterable<string>): Promise<Map<string, NotificationDocument>> {
    return findByIds(this.raw, ids);
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

  /**
   * Stores a batch's notifications with one insertMany; returns each as stored, in order: the new
   * one (`fresh`), or the one an earlier delivery of its event stored.
   */
  async insertManyOnce(notifications: readonly NotificationDocument[]): Promise<{ stored: NotificationDocument; fresh: boolean }[]> {
    const { duplicates } = await insertManyOnce(this.raw, notifications);
    // The redelivered ones, read back together (a redelivered batch is usually redelivered whole).
    const earlier = await findByIds(this.raw, duplicates.map((d) => d._id));
    const duplicate = new Set(duplicates);
    return notifications.map((n) => {
      if (!duplicate.has(n)) return { stored: n, fresh: true };
      const existing = earlier.get(n._id);
      if (!existing) throw new Error(`notification ${n._id} was there at insert and is gone`);
      return { stored: existing, fresh: false };
    });
  }

  /**
   * Stores a retry and puts it in the waiting room; a redelivered receipt neither stores it twice
   * nor waits it again once it was handed over.
   */
  async scheduleRetry(retry: NotificationDocument & { retryOf: string; retry: number; dueAt: Date; outbound: Record<string, unknown> }): Promise<NotificationDocument> {
    const stored = await this.insertOnce(retry);
    if (stored.dispatchedAt) return stored;
    try {
      await this.pendingRetries.insertOne({ _id: retry._id, dueAt: retry.dueAt, retryOf: retry.retryOf, retry: retry.retry, outbound: retry.outbound });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return stored;
  }

  /** Retries whose time has come, oldest first: a scan of the waiting room only. */
  dueRetries(now: Date, limit: number): Promise<PendingRetryDocument[]> {
    return this.pendingRetries.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).toArray();
  }

  /** Handed to its channel: recorded on the notification, then out of the waiting room (a crash in between hands it over twice, which channels absorb). */
  async markDispatched(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { dispatchedAt: at, updatedAt: at } }).exec();
    await this.pendingRetries.deleteOne({ _id: id });
  }

  /** Nothing reached the customer: marks the first notification (the one agents look at). */
  async markGaveUp(id: string, at: Date): Promise<void> {
    // Read, then update by `_id` alone: `{_id, gaveUpAt: {$exists}}` is matched in Go over the whole collection on FerretDB v1.
    const original = await this.model.findById(id, { gaveUpAt: 1 }).lean<Pick<NotificationDocument, 'gaveUpAt'>>().exec();
    if (!original || original.gaveUpAt) return;
    await this.model.updateOne({ _id: id }, { $set: { gaveUpAt: at, updatedAt: at } }).exec();
  }

  /** A ticket's notifications with their delivery outcome, oldest first. */
  ofTicket(ticketId: string): Promise<NotificationDocument[]> {
    return this.model.find({ ticketId }).sort({ createdAt: 1 }).lean<NotificationDocument[]>().exec();
  }

  /**
   * Appends a receipt and moves the status forward; returns false for a notification we never sent.
   * Providers report out of order (Twilio's `sent` can follow its `delivered`), so a status only
   * replaces an earlier stage: queued, then sent, then one final outcome. A receipt with an id
   * already recorded changes nothing (a redelivery).
   *
   * One read and one write, both by `_id` alone. Receipts of one notification arrive in order on
   * one partition (keyed by notification id), so nothing else moves its status in between.
   */
  async recordDelivery(id: string, receipt: DeliveryRecord): Promise<boolean> {
    return (await this.recordDeliveries([{ notificationId: id, record: receipt }])).has(id);
  }

  /**
   * A batch's receipts, folded per notification: one `{_id: {$in}}` read for the batch and at most
   * one write per notification (`_id`-keyed updates in bulkWrites), however many of its receipts
   * the batch holds. Same rules as `recordDelivery`. Returns the ids of the notifications it knows.
   */
  recordDeliveries(receipts: readonly { notificationId: string; record: DeliveryRecord }[]): Promise<Set<string>> {
    return foldDeliveries(this, receipts);
  }
}

async function foldDeliveries(repository: NotificationRepository, receipts: readonly { notificationId: string; record: DeliveryRecord }[]): Promise<Set<string>> {
  const byNotification = new Map<string, DeliveryRecord[]>();
  for (const { notificationId, record } of receipts) byNotification.set(notificationId, [...(byNotification.get(notificationId) ?? []), record]);
  const known = new Set<string>();
  const updates: mongo.AnyBulkWriteOperation<NotificationDocument>[] = [];
  const stored = await findByIds(repository.raw, byNotification.keys(), { status: 1, 'deliveries.receiptId': 1 });
  for (const [id, records] of byNotification) {
    const current = stored.get(id);
    if (!current) continue;
    known.add(id);
    const seen = new Set((current.deliveries ?? []).map((d) => d.receiptId).filter(Boolean));
    let status = current.status;
    let set: Record<string, unknown> | undefined;
    const entries: NotificationDocument['deliveries'] = [];
    for (const receipt of records) {
      if (receipt.receiptId && seen.has(receipt.receiptId)) continue;
      if (receipt.receiptId) seen.add(receipt.receiptId);
      entries.push(deliveryEntry(receipt));
      if (STAGE[status] < STAGE[receipt.status]) {
        status = receipt.status;
        set = { ...set, ...statusChange(receipt) };
      }
    }
    if (entries.length === 0) continue;
    updates.push({ updateOne: { filter: { _id: id }, update: { $push: { deliveries: { $each: entries } }, ...(set ? { $set: set } : {}) } } });
  }
  await bulkWriteInChunks(repository.raw, updates);
  return known;
}

function deliveryEntry(receipt: DeliveryRecord): NotificationDocument['deliveries'][number] {
  return {
    status: receipt.status,
    at: receipt.at,
    ...(receipt.providerMessageId ? { providerMessageId: receipt.providerMessageId } : {}),
    ...(receipt.errorCode ? { errorCode: receipt.errorCode } : {}),
    ...(receipt.error ? { error: receipt.error } : {}),
    ...(receipt.receiptId ? { receiptId: receipt.receiptId } : {}),
  };
}

function statusChange(receipt: DeliveryRecord): Record<string, unknown> {
  return {
    status: receipt.status,
    updatedAt: receipt.at,
    ...(receipt.providerMessageId ? { providerMessageId: receipt.providerMessageId } : {}),
    ...(receipt.errorCode ? { errorCode: receipt.errorCode } : {}),
  };
}

export interface DeliveryRecord {
  status: DeliveryStatus;
  at: Date;
  providerMessageId?: string;
  errorCode?: string;
  error?: string;
  /** The receipt's event id: recorded once however often it is delivered. */
  receiptId?: string;
}

const STAGE: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, undelivered: 2, failed: 2 };
