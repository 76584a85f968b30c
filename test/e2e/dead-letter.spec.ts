import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { DEAD_LETTER_HEADERS } from '@switchboard/contracts';
import { eventually } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform, useTopicReader } from './use-platform';

describe('a malformed message on inbound', () => {
  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-inapp']);
  let db: Connection;
  const deadLetters = useTopicReader(platform, 'dead-letter');

  beforeAll(async () => {
    db = database();
  });

  it('lands on the dead-letter topic with the reason, and the pipeline keeps going', async () => {
    const producer = new Kafka({ clientId: 'e2e-poison', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const poison = JSON.stringify({ schemaVersion: 1, eventId: 'poison-1', channel: 'carrier-pigeon', text: 'hello' });
    await producer.send({ topic: platform.topic('inbound'), messages: [{ key: 'poison', value: poison }, { key: 'poison', value: '\u0000garbage' }] });
    await producer.disconnect();

    const dead = await deadLetters.waitFor((r) => r.value === poison, 60_000);
    expect(dead.headers[DEAD_LETTER_HEADERS.reason]).toBe('invalid');
    expect(dead.headers[DEAD_LETTER_HEADERS.consumerGroup]).toBe('classifier');
    expect(dead.headers[DEAD_LETTER_HEADERS.originTopic]).toBe(platform.topic('inbound'));
    expect(dead.headers[DEAD_LETTER_HEADERS.error]).toMatch(/channel/);
    await deadLetters.waitFor((r) => r.value === '\u0000garbage');

    const customer = new Customer(platform, 'after-poison');
    const sent = await customer.send('akun saya dibobol orang, saldo hilang');
    await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: sent.body.eventId as never })) ?? undefined, 60_000);
  });
});
