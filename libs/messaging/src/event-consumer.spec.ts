import { DEAD_LETTER_HEADERS, InboundMessage } from '@switchboard/contracts';
import { testInfra, TopicReader, uniqueName, eventually } from '@switchboard/testing';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { KafkaConnection } from './kafka-connection';
import { inbound, MemoryProcessedEvents, quiet } from './consumer-fixture.test';
import { ProcessedEventStore } from './processed-event-store';

describe('EventConsumer against a real broker', () => {
  const infra = testInfra();
  let connection: KafkaConnection;
  let publisher: EventPublisher;
  let reader: TopicReader;
  const consumers: EventConsumer<'inbound'>[] = [];

  beforeEach(async () => {
    connection = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'spec', topicPrefix: `${uniqueName('msg')}.`, partitions: 2 }, quiet);
    await connection.ensureTopics();
    publisher = new EventPublisher(connection);
    reader = await new TopicReader(infra.kafkaBrokers, connection.topicName('dead-letter')).start();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await reader.stop();
    await publisher.disconnect();
  });

  function consume(handle: (event: InboundMessage) => Promise<void>, processed?: ProcessedEventStore) {
    const consumer = new EventConsumer(connection, publisher, { groupId: 'g', topic: 'inbound', handle, processed, retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 } }, quiet);
    consumers.push(consumer);
    return consumer.start();
  }

  it('refuses to publish an event that does not match its topic schema', async () => {
    const bad = { ...inbound(1), text: 42 } as unknown as InboundMessage;
    await expect(publisher.publish('inbound', bad, { key: 'k' })).rejects.toThrow(/text/);
  });

  it('dead-letters a malformed event with the reason and origin, and keeps consuming', async () => {
    const handled: string[] = [];
    await consume(async (event) => void handled.push(event.text));
    await publisher.sendRaw('inbound', '{"schemaVersion":1,"text":"no ids"}', { key: 'inapp::user-1' });
    await publisher.sendRaw('inbound', 'not json at all', { key: 'inapp::user-1' });
    await publisher.publish('inbound', inbound(2), { key: 'inapp::user-1' });

    await eventually(() => handled.includes('message 2'));
    await eventually(() => reader.records.length >= 2);
    const [first, second] = reader.records;
    expect(first.value).toBe('{"schemaVersion":1,"text":"no ids"}');
    expect(first.headers[DEAD_LETTER_HEADERS.reason]).toBe('invalid');
    expect(first.headers[DEAD_LETTER_HEADERS.error]).toMatch(/eventId: Required/);
    expect(first.headers[DEAD_LETTER_HEADERS.originTopic]).toBe(connection.topicName('inbound'));
    expect(first.headers[DEAD_LETTER_HEADERS.originOffset]).toMatch(/^\d+$/);
    expect(second.headers[DEAD_LETTER_HEADERS.error]).toMatch(/not JSON/);
  });

  it('retries a failing handler, then dead-letters it after the attempts run out', async () => {
    let calls = 0;
    await consume(async (event) => {
      if (event.text === 'message 3') {
        calls++;
        throw new Error('database unavailable');
      }
    });
    await publisher.publish('inbound', inbound(3), { key: 'inapp::user-1' });
    const dead = await reader.waitFor(() => true);
    expect(calls).toBe(3);
    expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toBe('handler');
    expect(dead.headers[DEAD_LETTER_HEADERS.attempts]).toBe('3');
    expect(dead.headers[DEAD_LETTER_HEADERS.error]).toBe('database unavailable');
  });

  it('recovers from a transient failure without dead-lettering', async () => {
    let calls = 0;
    await consume(async () => {
      if (++calls < 2) throw new Error('blip');
    });
    await publisher.publish('inbound', inbound(4), { key: 'inapp::user-1' });
    await eventually(() => calls === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.records).toHaveLength(0);
  });

  it('skips an event its group already processed', async () => {
    const processed = new MemoryProcessedEvents();
    const handled: string[] = [];
    await consume(async (event) => void handled.push(event.eventId), processed);
    await publisher.publish('inbound', inbound(5), { key: 'inapp::user-1' });
    await publisher.publish('inbound', inbound(5), { key: 'inapp::user-1' });
    await publisher.publish('inbound', inbound(6), { key: 'inapp::user-1' });
    await eventually(() => handled.length >= 2 && processed.seen.size === 2);
    expect(handled).toEqual([inbound(5).eventId, inbound(6).eventId]);
  });

  it('keeps the order of one contact’s events', async () => {
    const handled: number[] = [];
    await consume(async (event) => void handled.push(Number(event.providerMessageId.slice(2))));
    for (let n = 10; n < 30; n++) await publisher.publish('inbound', inbound(n, n % 2 ? 'odd' : 'even'), { key: n % 2 ? 'odd' : 'even' });
    await eventually(() => handled.length === 20);
    const odd = handled.filter((n) => n % 2);
    expect(odd).toEqual([...odd].sort((a, b) => a - b));
  });
  it('on a stop, drops a retry waiting for its time and leaves the event uncommitted for the next consumer', async () => {
    await publisher.publish('inbound', inbound(7), { key: 'inapp::user-1' });
    let calls = 0;
    const failing = new EventConsumer(
      connection,
      publisher,
      {
        groupId: 'g',
        topic: 'inbound',
        // Retries 5 s apart: before, a stop waited for them all and then dead-lettered the event.
        retry: { attempts: 5, initialDelayMs: 5_000, maxDelayMs: 5_000 },
        handle: async () => {
          calls += 1;
          throw new Error('the database is busy');
        },
      },
      quiet,
    );
    await failing.start();
    await eventually(() => calls > 0);
    await failing.stop();
    expect(calls).toBe(1);

    const handled: string[] = [];
    await consume(async (event) => void handled.push(event.text));
    await eventually(() => handled.includes('message 7'));
    expect(handled).toEqual(['message 7']);
    expect(reader.records).toHaveLength(0);
  });
});
