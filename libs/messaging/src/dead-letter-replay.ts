import { Kafka } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@switchboard/contracts';

/** One record of the dead-letter topic, with the headers the consumer wrote when it gave up. */
export interface DeadLetterEntry {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  reason: string;
  originTopic: string;
  consumerGroup: string;
  error: string;
  attempts: number;
  failedAt: string;
}

export const REPLAYED_FROM_HEADER = 'x-replayed-from';

export interface ReplayOptions {
  /** The full name of the dead-letter topic (with the deployment's prefix). */
  deadLetterTopic: string;
  /** Which entries to put back; `invalid` ones fail again unless the consumer was fixed. */
  select?: (entry: DeadLetterEntry) => boolean;
  dryRun?: boolean;
  /**
   * The group whose committed offsets remember what was already replayed, so running the replay
   * twice does not put an entry back twice. A dry run reads without committing.
   */
  groupId?: string;
}

export interface ReplayResult {
  read: DeadLetterEntry[];
  replayed: DeadLetterEntry[];
}

function header(value: Buffer | string | (Buffer | string)[] | undefined): string {
  if (value === undefined) return '';
  return String(Array.isArray(value) ? value[0] : value);
}

/**
 * Puts dead letters back on the topic they came from, with their key, so the consumers handle them
 * again. Safe to repeat: every consumer skips an event id it has handled, and a dead letter was
 * never marked handled. Reads up to the end of the topic as it was when the replay started.
 */
export async function replayDeadLetters(kafka: Kafka, options: ReplayOptions): Promise<ReplayResult> {
  const { deadLetterTopic, select = (e) => e.reason === 'handler', dryRun = false } = options;
  const groupId = options.groupId ?? `${deadLetterTopic}.replay`;
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  let starts: Map<number, bigint>;
  try {
    const high = await admin.fetchTopicOffsets(deadLetterTopic);
    ends = new Map(high.map((p) => [p.partition, BigInt(p.high)]));
    const committed = await admin.fetchOffsets({ groupId, topics: [deadLetterTopic] });
    const low = new Map(high.map((p) => [p.partition, BigInt(p.low)]));
    starts = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset) >= 0n ? BigInt(p.offset) : (low.get(p.partition) ?? 0n)]),
    );
  } finally {
    await admin.disconnect();
  }
  const pending = [...ends].filter(([partition, end]) => end > (starts.get(partition) ?? 0n));
  const result: ReplayResult = { read: [], replayed: [] };
  if (pending.length === 0) return result;

  const producer = kafka.producer({ idempotent: true });
  // A dry run must not move the group's offsets: a throwaway group reads from the same place.
  const consumer = kafka.consumer({ groupId: dryRun ? `${groupId}.dry-run.${process.pid}.${Date.now()}` : groupId, maxWaitTimeInMs: 500 });
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    const remaining = new Set(pending.map(([partition]) => partition));
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((done) => (finish = done));
    await consumer.run({
      autoCommit: !dryRun,
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition) ?? 0n;
        if (BigInt(message.offset) < (starts.get(partition) ?? 0n)) return; // the dry run's group starts at the beginning
        if (BigInt(message.offset) >= end) return;
        const h = message.headers ?? {};
        const entry: DeadLetterEntry = {
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          reason: header(h[DEAD_LETTER_HEADERS.reason]),
          originTopic: header(h[DEAD_LETTER_HEADERS.originTopic]),
          consumerGroup: header(h[DEAD_LETTER_HEADERS.consumerGroup]),
          error: header(h[DEAD_LETTER_HEADERS.error]),
          attempts: Number(header(h[DEAD_LETTER_HEADERS.attempts]) || 0),
          failedAt: header(h[DEAD_LETTER_HEADERS.failedAt]),
        };
        result.read.push(entry);
        if (!dryRun && entry.originTopic && select(entry)) {
          await producer.send({
            topic: entry.originTopic,
            acks: -1,
            messages: [{ key: entry.key, value: entry.value, headers: { [REPLAYED_FROM_HEADER]: `${deadLetterTopic}:${partition}:${message.offset}` } }],
          });
          result.replayed.push(entry);
        }
        if (BigInt(message.offset) + 1n >= end) {
          remaining.delete(partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return result;
}
