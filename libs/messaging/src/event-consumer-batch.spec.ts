import { DEAD_LETTER_HEADERS } from '@switchboard/contracts';
import { eventually, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { BatchItem, BatchOutcome, EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { KafkaConnection } from './kafka-connection';
import { inbound, MemoryProcessedEvents, quiet } from './consumer-fixture.test';
import { ProcessedEventStore } from './processed-event-store';

const KEY = 'inapp::user-1';

const numberOf = (item: BatchItem<'inbound'>) => Number(item.event.providerMessageId.slice(2));

describe('EventConsumer in batch mode, against a real broker', () => {
  const infra = testInfra();
  let connection: KafkaConnection;
  let publisher: EventPublisher;
  let deadLetters: TopicReader;
  const consumers: EventConsumer<'inbound'>[] = [];

  beforeEach(async () => {
    // One partition: every event below is in one partition's fetch, so batches are certain.
    connection = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'spec', topicPrefix: `${uniqueName('batch')}.`, partitions: 1 }, quiet);
    await connection.ensureTopics();
    publisher = new EventPublisher(connection);
    deadLetters = await new TopicReader(infra.kafkaBrokers, connection.topicName('dead-letter')).start();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await deadLetters.stop();
    await publisher.disconnect();
  });

  function consume(handleBatch: (items: BatchItem<'inbound'>[]) => Promise<BatchOutcome<'inbound'> | void>, processed?: ProcessedEventStore, maxBatchSize = 50, attempts = 3) {
    const consumer = new EventConsumer(connection, publisher, { groupId: 'g', topic: 'inbound', handleBatch, processed, maxBatchSize, retry: { attempts, initialDelayMs: 10, maxDelayMs: 20 } }, quiet);
    consumers.push(consumer);
    return consumer.start();
  }

  const publishAll = (numbers: number[]) => publisher.publishMany(numbers.map((n) => ({ topic: 'inbound' as const, event: inbound(n), key: KEY })));
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('hands events over in batches of at most maxBatchSize, in offset order, and commits them', async () => {
    await publishAll(range(0, 120));
    const batches: number[][] = [];
    await consume(async (items) => void batches.push(items.map(numberOf)), undefined, 50);
    await eventually(() => batches.flat().length >= 120);
    expect(batches.flat()).toEqual(range(0, 120));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(50);
    expect(batches.some((b) => b.length > 1)).toBe(true);
    expect(batches[0][0]).toBe(0);
    expect(batches[0].map((_, i) => i)).toEqual(batches[0]);

    // Committed: the group's next consumer starts after them.
    await consumers.splice(0)[0].stop();
    const again: number[] = [];
    await publishAll([500]);
    await consume(async (items) => void again.push(...items.map(numberOf)));
    await eventually(() => again.includes(500));
    expect(again).toEqual([500]);
  });

  it('dead-letters a poison event alone and handles the rest of its batch once', async () => {
    await publishAll(range(0, 30));
    const handled: number[] = [];
    const calls: number[][] = [];
    await consume(async (items) => {
      calls.push(items.map(numberOf));
      // Like an insertMany that a bad document makes fail: nothing in the call is stored.
      if (items.some((item) => numberOf(item) === 13)) throw new Error('document 13 is malformed');
      handled.push(...items.map(numberOf));
    });
    const dead = await deadLetters.waitFor(() => true);
    await eventually(() => handled.length >= 29);
    await new Promise((r) => setTimeout(r, 300));
    expect([...handled].sort((a, b) => a - b)).toEqual(range(0, 30).filter((n) => n !== 13));
    expect(deadLetters.records).toHaveLength(1);
    expect(JSON.parse(dead.value ?? '').providerMessageId).toBe('m-13');
    expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toBe('handler');
    expect(dead.headers[DEAD_LETTER_HEADERS.error]).toBe('document 13 is malformed');
    // Alone, 13 had every attempt of the policy.
    expect(calls.filter((c) => c.length === 1 && c[0] === 13)).toHaveLength(3);
  });

  it('retries only the events the handler reports failed, and dead-letters one that keeps failing', async () => {
    await publishAll(range(0, 20));
    const done = new Map<number, number>();
    const tries = new Map<number, number[]>();
    await consume(async (items) => {
      const failed: BatchOutcome<'inbound'>['failed'] = [];
      for (const item of items) {
        const n = numberOf(item);
        const attempts = [...(tries.get(n) ?? []), item.context.attempt];
        tries.set(n, attempts);
        // 5 fails once (a provider blip), 7 always (a number the provider refuses to take now).
        if ((n === 5 && attempts.length === 1) || n === 7) failed.push({ item, error: new Error(`provider busy for ${n}`) });
        else done.set(n, (done.get(n) ?? 0) + 1);
      }
      return { failed };
    });
    const dead = await deadLetters.waitFor(() => true);
    await eventually(() => done.size >= 19);
    await new Promise((r) => setTimeout(r, 300));
    expect([...done.keys()].sort((a, b) => a - b)).toEqual(range(0, 20).filter((n) => n !== 7));
    expect([...done.values()].every((times) => times === 1)).toBe(true);
    expect(tries.get(5)).toEqual([1, 2]);
    expect(tries.get(7)).toEqual([1, 2, 3]);
    expect(JSON.parse(dead.value ?? '').providerMessageId).toBe('m-7');
    expect(dead.headers[DEAD_LETTER_HEADERS.attempts]).toBe('3');
    expect(deadLetters.records).toHaveLength(1);
  });

  it('with a single attempt, dead-letters a reported failure at once, but gives every event of a batch that threw a try of its own', async () => {
    await publishAll(range(0, 4));
    const calls: number[][] = [];
    await consume(
      async (items) => {
        calls.push(items.map(numberOf));
        if (items.length > 1 && items.some((item) => numberOf(item) === 4)) throw new Error('batch with 4 fails');
        return { failed: items.filter((item) => numberOf(item) === 2).map((item) => ({ item, error: new Error('2 refused') })) };
      },
      undefined,
      50,
      1,
    );
    await eventually(() => deadLetters.records.length >= 1);
    await publishAll([4, 5]);
    await eventually(() => calls.flat().filter((n) => n === 5).length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([[0, 1, 2, 3], [4, 5], [4], [5]]);
    expect(deadLetters.records.map((r) => JSON.parse(r.value ?? '').providerMessageId)).toEqual(['m-2']);
    expect(deadLetters.records[0].headers[DEAD_LETTER_HEADERS.attempts]).toBe('1');
    expect(deadLetters.records[0].headers[DEAD_LETTER_HEADERS.error]).toBe('2 refused');
  });

  it('dead-letters an invalid message of a batch and passes each event id once, skipping what was processed', async () => {
    const processed = new MemoryProcessedEvents();
    await processed.mark('g', inbound(2).eventId);
    await publisher.sendRaw('inbound', 'not json at all', { key: KEY });
    await publishAll([1, 2, 3, 3, 4]);
    const handled: number[] = [];
    await consume(async (items) => void handled.push(...items.map(numberOf)), processed);
    await eventually(() => handled.includes(4));
    const dead = await deadLetters.waitFor(() => true);
    expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toBe('invalid');
    expect(handled).toEqual([1, 3, 4]);
    expect(processed.seen.size).toBe(4);
  });

  it('commits a batch only once its handler has finished', async () => {
    await publishAll(range(0, 10));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    await consume(async () => {
      entered = true;
      await gate;
    });
    await eventually(() => entered);
    const committed = async () => {
      const admin = connection.kafka.admin();
      await admin.connect();
      try {
        const [topic] = await admin.fetchOffsets({ groupId: connection.topicName('g'), topics: [connection.topicName('inbound')] });
        return topic.partitions[0].offset;
      } finally {
        await admin.disconnect();
      }
    };
    // Longer than kafkajs's auto-commit interval: a crash now would replay the whole batch.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await committed()).toBe('-1');
    release();
    await eventually(async () => (await committed()) === '10');
  });
  it('on a stop, drops the retries waiting for their time and leaves the batch uncommitted for the next consumer', async () => {
    await publishAll(range(0, 20));
    const calls: number[][] = [];
    let signal: AbortSignal | undefined;
    const consumer = new EventConsumer(
      connection,
      publisher,
      {
        groupId: 'g',
        topic: 'inbound',
        // Retries 5 s apart: before, a stop waited for them (and they committed the batch).
        retry: { attempts: 5, initialDelayMs: 5_000, maxDelayMs: 5_000 },
        handleBatch: async (items, control) => {
          signal = control.signal;
          calls.push(items.map(numberOf));
          return { failed: items.map((item) => ({ item, error: new Error('the database is busy') })) };
        },
      },
      quiet,
    );
    await consumer.start();
    await eventually(() => calls.length > 0);
    await consumer.stop();
    expect(signal?.aborted).toBe(true);
    expect(calls).toHaveLength(1);

    const again: number[] = [];
    await consume(async (items) => void again.push(...items.map(numberOf)));
    await eventually(() => again.length >= 20);
    expect(again).toEqual(range(0, 20));
    expect(deadLetters.records).toHaveLength(0);
  });

  describe('with minFetchIntervalMs (a partition’s fetches at least that far apart)', () => {
    const consumeSpaced = (handleBatch: (items: BatchItem<'inbound'>[]) => Promise<BatchOutcome<'inbound'> | void>) => {
      // A minute, and a stop grace as long: far longer than a test may take, so any wait it should not make fails the test.
      const consumer = new EventConsumer(
        connection,
        publisher,
        { groupId: 'g', topic: 'inbound', handleBatch, maxBatchSize: 50, minFetchIntervalMs: 60_000, stopGraceMs: 60_000, retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 } },
        quiet,
      );
      consumers.push(consumer);
      return consumer;
    };

    it('holds the next fetch back, and lets a stop end the wait at once', async () => {
      const seen: number[] = [];
      const consumer = consumeSpaced(async (items) => void seen.push(...items.map(numberOf)));
      await consumer.start();
      await publishAll([1]);
      await eventually(() => seen.includes(1));
      await publishAll([2]);
      // The window opened by the first fetch is a minute long: the second event waits in Kafka.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(seen).toEqual([1]);
      // Within the test's timeout (the grace is a minute): the wait itself gave way.
      await consumers.splice(0)[0].stop();
      const again: number[] = [];
      await consume(async (items) => void again.push(...items.map(numberOf)));
      await eventually(() => again.includes(2));
      expect(again).toEqual([2]);
    }, 30_000);

    it('does not wait after a batch whose events had to be handled again one by one', async () => {
      const seen: number[] = [];
      let failOnce = true;
      await consumeSpaced(async (items) => {
        if (failOnce && items.length > 1) {
          failOnce = false;
          throw new Error('the database is busy');
        }
        seen.push(...items.map(numberOf));
      }).start();
      await publishAll([1, 2, 3]);
      await eventually(() => seen.length >= 3);
      await publishAll([4]);
      await eventually(() => seen.includes(4));
      expect(seen).toEqual([1, 2, 3, 4]);
    });
  });
});
