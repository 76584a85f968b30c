import { Message, Partitioners, Producer } from 'kafkajs';
import { EventOf, Topic, TOPIC_SCHEMAS } from '@switchboard/contracts';
import { KafkaConnection } from './kafka-connection';

export interface PublishOptions {
  /** Partition key: the contact for messages, the ticket for ticket events. */
  key: string;
  headers?: Record<string, string>;
}

/** One event of a `publishMany`, for any topic (checked against the topic's schema when sent). */
export type PublishEntry<T extends Topic = Topic> = { topic: T; event: EventOf<T> } & PublishOptions;

/** Validates every event against its topic's schema before it leaves the process. */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(private readonly connection: KafkaConnection) {
    this.producer = connection.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async publish<T extends Topic>(topic: T, event: EventOf<T>, options: PublishOptions): Promise<void> {
    const valid = TOPIC_SCHEMAS[topic].parse(event);
    await this.sendRaw(topic, JSON.stringify(valid), options);
  }

  /**
   * Many events, to any topics, in one produce request (acks=all): one round trip and one wait for
   * the replicas instead of one per event. All are validated before any is sent; on failure
   * none is known to be stored, and the caller publishes them all again (consumers are idempotent).
   */
  async publishMany(entries: readonly PublishEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const entry of entries) {
      const valid = TOPIC_SCHEMAS[entry.topic].parse(entry.event);
      const topic = this.connection.topicName(entry.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: entry.key, value: JSON.stringify(valid), headers: entry.headers });
      byTopic.set(topic, messages);
    }
    await this.connect();
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  /** Bytes as they are: for the dead-letter path and for tests that must put garbage on a topic. */
  async sendRaw(topic: string, value: string | Buffer | null, options: PublishOptions): Promise<void> {
    await this.connect();
    await this.producer.send({
      topic: this.connection.topicName(topic),
      acks: -1,
      messages: [{ key: options.key, value, headers: options.headers }],
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
