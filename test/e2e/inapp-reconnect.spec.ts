import { Kafka, logLevel, Producer } from 'kafkajs';
import { deterministicId, OutboundMessage } from '@switchboard/contracts';
import { eventually } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform } from './use-platform';

// channel-inapp alone, fed on outbound.inapp the way the notifier feeds it.
describe('channel-inapp: offline customers, reconnects, history and the widget', () => {
  const { platform, db } = usePlatform(['channel-inapp']);
  let producer: Producer;

  beforeAll(async () => {
    producer = new Kafka({ clientId: 'e2e-notifier', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  function outbound(userId: string, n: number, createdAt = new Date(Date.UTC(2026, 10, 29, 12, 0, n))): OutboundMessage {
    const notificationId = deterministicId('e2e-notification', userId, String(n));
    return {
      schemaVersion: 1,
      eventId: deterministicId('outbound', notificationId),
      notificationId,
      kind: 'acknowledgement',
      ticketId: `ticket-${userId}`,
      ticketNumber: 7000 + n,
      channel: 'inapp',
      contact: { channel: 'inapp', address: userId },
      contactKey: `inapp::${userId}`,
      language: 'en',
      text: `update ${n}`,
      automatic: true,
      createdAt: createdAt.toISOString(),
    };
  }

  const publish = (messages: OutboundMessage[]) =>
    producer.send({ topic: platform.topic('outbound.inapp'), messages: messages.map((m) => ({ key: m.contactKey, value: JSON.stringify(m) })) });

  it('pushes what arrived while the customer was away on reconnect, in order, and once', async () => {
    const customer = new Customer(platform, 'away-101');
    const first = await customer.openApp();
    first.close();
    await publish([1, 2, 3].map((n) => outbound('away-101', n)));
    await eventually(async () => ((await db().collection('inapp_outbox').countDocuments({ userId: 'away-101' })) === 3 ? true : undefined));

    const back = await customer.openApp();
    await eventually(() => (back.received.length >= 3 ? true : undefined));
    expect(back.received.map((m) => m.text)).toEqual(['update 1', 'update 2', 'update 3']);
    await eventually(async () => ((await db().collection('inapp_outbox').countDocuments({ userId: 'away-101', delivered: true })) === 3 ? true : undefined));

    // A redelivered notification and a new socket: nothing is pushed a second time.
    await publish([outbound('away-101', 2), outbound('away-101', 4)]);
    await back.waitForMessage((m) => m.text === 'update 4');
    // Acknowledged messages are never pushed again; an unacknowledged one is (apps de-duplicate by id).
    await eventually(async () => ((await db().collection('inapp_outbox').countDocuments({ userId: 'away-101', delivered: true })) === 4 ? true : undefined));
    back.close();
    const again = await customer.openApp();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(again.received).toEqual([]);
    expect(back.received.map((m) => m.text)).toEqual(['update 1', 'update 2', 'update 3', 'update 4']);
    again.close();
  });

  it('keeps the whole conversation for the app: what the customer wrote and what they were told', async () => {
    const customer = new Customer(platform, 'history-102');
    const sent = await customer.send('my refund has not arrived');
    await publish([outbound('history-102', 1, new Date(Date.now() + 1_000))]);
    const history = await eventually(async () => {
      const response = await fetch(`${platform.service('channel-inapp').url}/v1/messages`, { headers: { authorization: `Bearer ${customer.token}` } });
      const body = (await response.json()) as { messages: { id: string; from: string; text: string }[] };
      return body.messages.length === 2 ? body.messages : undefined;
    });
    expect(history.map((m) => [m.from, m.text])).toEqual([
      ['support', 'update 1'],
      ['customer', 'my refund has not arrived'],
    ]);
    expect(history[1].id).toBe(sent.body.eventId);
    const other = new Customer(platform, 'someone-else-103');
    const theirs = await fetch(`${platform.service('channel-inapp').url}/v1/messages`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(((await theirs.json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  it('serves the embeddable widget with the embedding policy, whether or not demo mode is on', async () => {
    const response = await fetch(`${platform.service('channel-inapp').url}/widget`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    const html = await response.text();
    expect(html).toContain('v1/messages');
    expect(html).toContain("type: 'ack'");
    expect((await fetch(`${platform.service('channel-inapp').url}/`)).status).toBe(404);
  });
});
