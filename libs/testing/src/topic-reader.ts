import { Consumer, Kafka, logLevel } from 'kafkajs';

export interface ReadRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Reads a topic from the beginning in its own group and keeps every record, for assertions. */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({ clientId: 'topic-reader', brokers: this.brokers, logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `reader-${this.topic}-${process.pid}-${Date.now()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        this.records.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, partition, offset: message.offset });
      },
    });
    return this;
  }

  /** Resolves with the first record matching, polling until the deadline. */
  waitFor(predicate: (record: ReadRecord) => boolean, timeoutMs = 20_000): Promise<ReadRecord> {
    return eventually(() => this.records.find(predicate), timeoutMs, `no record on ${this.topic} matched`);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Polls `probe` until it returns something defined, or fails with `message` after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, message = 'condition not met'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${message} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
