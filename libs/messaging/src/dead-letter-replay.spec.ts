import { Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@switchboard/contracts';
import { eventually, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { REPLAYED_FROM_HEADER, replayDeadLetters } from './dead-letter-replay';
import { waitForTopicLeaders } from './kafka-connection';

describe('replayDeadLetters against a real broker', () => {
  const infra = testInfra();
  const kafka = new Kafka({ clientId: 'replay-spec', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const prefix = `${uniqueName('replay')}.`;
  const deadLetterTopic = `${prefix}dead-letter`;
  const origin = `${prefix}outbound.sms`;
  let reader: TopicReader;

  const entry = (n: number, reason: 'handler' | 'invalid') => ({
    key: `key-${n}`,
    value: JSON.stringify({ n }),
    headers: {
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.error]: reason === 'handler' ? 'Twilio answered 500' : 'not an event',
      [DEAD_LETTER_HEADERS.originTopic]: origin,
      [DEAD_LETTER_HEADERS.originPartition]: '0',
      [DEAD_LETTER_HEADERS.originOffset]: String(n),
      [DEAD_LETTER_HEADERS.consumerGroup]: 'channel-sms',
      [DEAD_LETTER_HEADERS.attempts]: '8',
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    },
  });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: false, topics: [deadLetterTopic, origin].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })) });
    await waitForTopicLeaders(admin, [deadLetterTopic, origin]);
    await admin.disconnect();
    // Idempotent, like the platform's producers: a KRaft broker can refuse one partition of a fresh topic
    // for a moment, and a plain producer's retry then wrote the other partition's entry twice (a CI failure).
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: deadLetterTopic, messages: [entry(1, 'handler'), entry(2, 'invalid'), entry(3, 'handler')] });
    await producer.disconnect();
    reader = await new TopicReader(infra.kafkaBrokers, origin).start();
  });

  afterAll(() => reader.stop());

  it('lists without sending or moving offsets on a dry run', async () => {
    const { read, replayed } = await replayDeadLetters(kafka, { deadLetterTopic, dryRun: true });
    expect(read.map((e) => [e.key, e.reason, e.originTopic, e.consumerGroup, e.attempts])).toEqual(
      expect.arrayContaining([
        ['key-1', 'handler', origin, 'channel-sms', 8],
        ['key-2', 'invalid', origin, 'channel-sms', 8],
        ['key-3', 'handler', origin, 'channel-sms', 8],
      ]),
    );
    expect(read).toHaveLength(3);
    expect(replayed).toEqual([]);
  });

  it('puts handler failures back on their topic with their key, once however often it runs', async () => {
    const first = await replayDeadLetters(kafka, { deadLetterTopic });
    expect(first.replayed.map((e) => e.key).sort()).toEqual(['key-1', 'key-3']);
    await eventually(() => reader.records.length === 2 || undefined, 20_000);
    expect(reader.records.map((r) => [r.key, r.value]).sort()).toEqual([
      ['key-1', '{"n":1}'],
      ['key-3', '{"n":3}'],
    ]);
    expect(reader.records.every((r) => r.headers[REPLAYED_FROM_HEADER]?.startsWith(`${deadLetterTopic}:`))).toBe(true);

    const again = await replayDeadLetters(kafka, { deadLetterTopic });
    expect(again).toEqual({ read: [], replayed: [] });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(reader.records).toHaveLength(2);
  });
});
