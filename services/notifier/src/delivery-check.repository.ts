import { Collection, Connection, mongo } from 'mongoose';
import { Channel } from '@switchboard/contracts';
import { insertManyOnce } from '@switchboard/persistence';

/**
 * A notification whose delivery stalled (its last receipt `queued` or `sent`), waiting for its next
 * check with the provider; `notification_delivery_checks`, `_id` = notification id. Written only
 * for the notifications that get checked, removed once final or after the last check: the
 * dispatcher polls this small collection, never `notifications` (FerretDB v1 matches any filter
 * but `_id` in Go over the whole collection).
 */
export interface DeliveryCheckDocument {
  _id: string;
  channel: Channel;
  /** The last receipt's time when the stall was noticed; every check is counted from it. */
  since: Date;
  checksDone: number;
  dueAt: Date;
  providerMessageId?: string;
  createdAt: Date;
}

export class DeliveryCheckRepository {
  readonly checks: Collection<DeliveryCheckDocument>;

  constructor(connection: Connection) {
    this.checks = connection.collection<DeliveryCheckDocument>('notification_delivery_checks');
  }

  async ensureIndexes(): Promise<void> {
    await this.checks.createIndex({ dueAt: 1 });
  }

  private get raw(): mongo.Collection<DeliveryCheckDocument> {
    return this.checks as unknown as mongo.Collection<DeliveryCheckDocument>;
  }

  /** Starts watching these (one insertMany); one already watched keeps its stage. */
  async watch(entries: readonly DeliveryCheckDocument[]): Promise<number> {
    const { inserted } = await insertManyOnce(this.raw, entries);
    return inserted.length;
  }

  /** Checks whose time has come, oldest first: a scan of this small collection only. */
  due(now: Date, limit: number): Promise<DeliveryCheckDocument[]> {
    return this.raw.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).toArray();
  }

  async advance(id: string, checksDone: number, dueAt: Date): Promise<void> {
    await this.raw.updateOne({ _id: id }, { $set: { checksDone, dueAt } });
  }

  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.raw.deleteMany({ _id: { $in: [...ids] } });
  }
}
