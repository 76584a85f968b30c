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

/** The `_id` (group + event id) is the unique key: a second mark of the same event is a no-op. */
export class MongoProcessedEventStore implements ProcessedEventStore {
  private readonly model: Model<ProcessedEvent>;

  constructor(connection: Connection) {
    this.model = connection.model<ProcessedEvent>('ProcessedEvent', processedEventSchema);
  }

  async has(consumerGroup: string, eventId: string): Promise<boolean> {
    return (await this.model.exists({ _id: key(consumerGroup, eventId) })) !== null;
  }

  async mark(consumerGroup: string, eventId: string): Promise<void> {
    try {
      await this.model.create({ _id: key(consumerGroup, eventId), processedAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

function key(consumerGroup: string, eventId: string): string {
  return `${consumerGroup}|${eventId}`;
}
