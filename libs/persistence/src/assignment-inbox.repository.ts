import { Collection, Connection } from 'mongoose';
import { Command } from '@switchboard/contracts';
import { insertManyOnce } from './insert-many-once';
import { IDS_PER_FIND } from './find-by-ids';
import { isDuplicateKey } from './mongo-connection';

/** Something the routing engine must hear of: a ticket opened, reopened or waiting for the customer (or no longer), or an agent's or operator's command. */
export type InboxItem =
  | { kind: 'arrival'; ticketId: string }
  | { kind: 'reopen'; ticketId: string }
  /** The ticket began or ended waiting for the customer: the holder reads it and pauses or resumes its SLA clocks. */
  | { kind: 'status'; ticketId: string }
  | { kind: 'command'; command: Command };

export type AssignmentInboxDocument = InboxItem & {
  /** Deterministic from the cause, so a redelivered message or command is stored once. */
  _id: string;
  at: Date;
  processed: boolean;
};

/**
 * The lease holder's input. Every router instance consumes `classified` and `commands` (one
 * consumer group) and drops what the engine must hear of here; the holder alone reads it, in
 * order. MongoDB rather than a leader-only Kafka group: the holder changes at any time, and a new
 * one reads whatever its predecessor left unprocessed, with no consumer to start or stop.
 */
export class AssignmentInboxRepository {
  readonly items: Collection<AssignmentInboxDocument>;

  constructor(connection: Connection) {
    this.items = connection.collection<AssignmentInboxDocument>('routing_inbox');
  }

  async ensureIndexes(): Promise<void> {
    await this.items.createIndex({ processed: 1, at: 1 });
  }

  /** Idempotent: the same id stored twice is one item (and a processed one stays processed). */
  async add(id: string, item: InboxItem, at: Date): Promise<void> {
    try {
      await this.items.updateOne({ _id: id }, { $setOnInsert: { ...item, at, processed: false } as Partial<AssignmentInboxDocument> }, { upsert: true });
    } catch (error) {
      // Two deliveries of one event raced to insert it: it is there.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** `add` for many items, in one `insertMany` (an item stored already stays as it is). */
  async addMany(items: { id: string; item: InboxItem }[], at: Date): Promise<void> {
    await insertManyOnce(
      this.items,
      items.map(({ id, item }) => ({ ...item, _id: id, at, processed: false }) as AssignmentInboxDocument),
    );
  }

  pending(limit: number): Promise<AssignmentInboxDocument[]> {
    return this.items.find({ processed: false }).sort({ at: 1, _id: 1 }).limit(limit).toArray();
  }

  /** Retention: deletes up to `limit` items processed and older than `before`; how many went. Pending items are never deleted. */
  async deleteProcessedBefore(before: Date, limit: number): Promise<number> {
    const ids = (await this.items.find({ processed: true, at: { $lt: before } }, { projection: { _id: 1 } }).limit(limit).toArray()).map((d) => d._id);
    if (ids.length === 0) return 0;
    return (await this.items.deleteMany({ _id: { $in: ids }, processed: true })).deletedCount;
  }

  /** Which of these tickets have an arrival or reopening not processed yet. */
  async waitingTicketIds(ticketIds: string[]): Promise<Set<string>> {
    if (ticketIds.length === 0) return new Set();
    const items = await this.items.find({ processed: false, ticketId: { $in: ticketIds } }, { projection: { ticketId: 1 } }).toArray();
    return new Set(items.flatMap((item) => ('ticketId' in item && item.ticketId ? [item.ticketId] : [])));
  }

  async markProcessed(id: string): Promise<void> {
    await this.items.updateOne({ _id: id }, { $set: { processed: true } });
  }

  /** `markProcessed` for many items, in one `updateMany` by `_id` `$in` (read by the index on deploy/local's FerretDB). */
  async markProcessedMany(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += IDS_PER_FIND) await this.items.updateMany({ _id: { $in: ids.slice(start, start + IDS_PER_FIND) } }, { $set: { processed: true } });
  }
}
