import { Connection, Model, Schema } from 'mongoose';
import type { ProcessedEventStore } from '@switchboard/messaging';
import { isDuplicateKey } from './mongo-connection';

interface ProcessedEvent {
  _id: string;
  processedAt: Date;
}

const processedEventSchema = new Schema<ProcessedEvent>(
  { _id: { type: String, required: true }, processedAt: { type: Date, required: true } },
  { collection: 'processed_events', versionKey: false },
);

/**
 * The `_id` (group + event id) is the unique key: a second mark of the same event is a no-op.
 *
 * `has` does not look the event up first: it inserts a claim (`<group>|<event>|claim`), and only
 * when that insert finds one already there (a redelivery, rare) does it look for the mark. On
 * FerretDB v1 a lookup that misses reads the whole collection (its `_id` index is not used for
 * lookups, only for the unique check on insert), and almost every lookup here misses: the check
 * grew with every event the platform ever handled. Two inserts stay cheap however large it gets.
 */
export class MongoProcessedEventStore implements ProcessedEventStore {
  private readonly model: Model<ProcessedEvent>;

  constructor(connection: Connection) {
    this.model = connection.model<ProcessedEvent>('ProcessedEvent', processedEventSchema);
  }

  async has(consumerGroup: string, eventId: string): Promise<boolean> {
    const done = key(consumerGroup, eventId);
    try {
      await this.model.create({ _id: `${done}|claim`, processedAt: new Date() });
      return false;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Seen before: handled, or interrupted (a crash, a dead letter) before the mark.
    return (await this.model.findById(done, { _id: 1 }).lean().exec()) !== null;
  }

  async mark(consumerGroup: string, eventId: string): Promise<void> {
    try {
      await this.model.create({ _id: key(consumerGroup, eventId), processedAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

/**
 * Retention: deletes up to `limit` processed-event keys of these consumer groups marked before
 * `before`. Keep them longer than a message can be redelivered (an uncommitted offset, a replay).
 */
export async function deleteProcessedEvents(connection: Connection, consumerGroups: string[], before: Date, limit: number): Promise<number> {
  const keys = connection.collection<ProcessedEvent>('processed_events');
  let deleted = 0;
  for (const group of consumerGroups) {
    // A range over the `_id` prefix rather than a regex: every MongoDB-wire server does it the same.
    const ids = (await keys.find({ _id: { $gte: `${group}|`, $lt: `${group}|\uffff` }, processedAt: { $lt: before } }, { projection: { _id: 1 } }).limit(limit).toArray()).map((d) => d._id);
    if (ids.length) deleted += (await keys.deleteMany({ _id: { $in: ids } })).deletedCount;
  }
  return deleted;
}

function key(consumerGroup: string, eventId: string): string {
  return `${consumerGroup}|${eventId}`;
}
