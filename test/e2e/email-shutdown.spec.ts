import { Kafka, logLevel } from 'kafkajs';
import { DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { eventually, freePort, SmtpSink } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

/** What channel-email promises on SIGTERM (README): its consumer's 8 s stop grace, then closing its connections. */
const GRACE_MS = 10_000;
const BACKLOG = 150;

const outbound = (n: number): OutboundMessage => ({
  schemaVersion: 1,
  eventId: `shutdown-event-${n}`,
  notificationId: `shutdown-${String(n).padStart(3, '0')}`,
  kind: 'acknowledgement',
  ticketId: `ticket-${n}`,
  ticketNumber: 1000 + n,
  channel: 'email',
  contact: { channel: 'email', address: `c${n}@mail.test` },
  contactKey: `email::c${n}@mail.test`,
  language: 'en',
  text: `Your ticket number is #${1000 + n}.`,
  subject: 'We received your message',
  automatic: true,
  createdAt: new Date().toISOString(),
});

describe('channel-email stopped (SIGTERM) in the middle of a backlog', () => {
  // A slow relay: the backlog takes 150 × 300 ms / 3 connections = 15 s, more than the grace.
  const sink = new SmtpSink();
  beforeAll(() => sink.start());
  afterAll(() => sink.stop());

  const { platform, db } = usePlatform(['channel-email'], async () => ({ 'channel-email': { EMAIL_SMTP_PORT: String(await freePort()), EMAIL_SMTP_URL: sink.url } }));
  const deliveries = useTopicReader(platform, 'deliveries');

  it('exits within its grace, and after a restart every notification is mailed exactly once', async () => {
    sink.replyDelayMs = 300;
    const kafka = new Kafka({ clientId: 'email-shutdown-spec', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: platform.topic('outbound.email'), acks: -1, messages: Array.from({ length: BACKLOG }, (_, n) => ({ key: `email::c${n}@mail.test`, value: JSON.stringify(outbound(n)) })) });
    await producer.disconnect();
    await eventually(() => sink.mails.length >= 10 || undefined, 30_000, 'channel-email did not start on the backlog');

    const stoppedAt = Date.now();
    await platform.service('channel-email').stop(60_000);
    expect(Date.now() - stoppedAt).toBeLessThan(GRACE_MS);
    const mailedBeforeStop = sink.mails.length;
    // Otherwise the stop interrupted nothing and this test would prove nothing.
    expect(mailedBeforeStop).toBeLessThan(BACKLOG);

    sink.replyDelayMs = 0;
    await platform.restart('channel-email');
    const ids = () => sink.mails.map((m) => m.headers['message-id']);
    await eventually(() => new Set(ids()).size >= BACKLOG || undefined, 120_000, `only ${new Set(ids()).size} of ${BACKLOG} notifications were mailed`);
    const sent = () => new Set(deliveries.records.map((r) => JSON.parse(r.value ?? '{}') as DeliveryReceipt).filter((r) => r.status === 'sent' && r.notificationId.startsWith('shutdown-')).map((r) => r.notificationId));
    await eventually(() => sent().size >= BACKLOG || undefined, 30_000, 'not every notification got its sent receipt');
    const outbox = await db().collection('email_outbox').find({}).toArray();

    expect(sink.mails).toHaveLength(BACKLOG);
    expect(new Set(ids()).size).toBe(BACKLOG);
    expect(new Set(sink.mails.map((m) => m.envelope.rcptTo[0]))).toEqual(new Set(Array.from({ length: BACKLOG }, (_, n) => `c${n}@mail.test`)));
    expect(outbox).toHaveLength(BACKLOG);
    expect(outbox.filter((r) => r.status !== 'sent')).toEqual([]);
  }, 240_000);
});
