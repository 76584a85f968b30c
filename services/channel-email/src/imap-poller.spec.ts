import { PinoLogger } from 'nestjs-pino';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { loadEnv } from '@switchboard/service-kit';
import { eventually, ImapServer, testInfra } from '@switchboard/testing';
import { emailEnvSchema } from './email.config';
import { ImapPoller, reconnectDelay } from './imap-poller';
import { ReceiveEmailUseCase } from './receive-email.use-case';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** Keeps every log line, so the test can tell how often a mail was tried. */
function recordingLogger(): { logger: PinoLogger; lines: { fields: Record<string, unknown>; msg: string }[] } {
  const lines: { fields: Record<string, unknown>; msg: string }[] = [];
  const record = (fields: Record<string, unknown>, msg: string) => void lines.push({ fields, msg });
  return { logger: { info: record, warn: record, error: record, debug: record } as unknown as PinoLogger, lines };
}

describe('reconnectDelay', () => {
  it('doubles from a second up to a minute with the default interval', () => {
    expect([1, 2, 3, 6, 7, 50].map((n) => reconnectDelay(n, 30_000))).toEqual([1_000, 2_000, 4_000, 32_000, 60_000, 60_000]);
  });

  it('starts from a short poll interval and stops at ten of them', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => reconnectDelay(n, 200))).toEqual([200, 400, 800, 1_600, 2_000, 2_000]);
  });
});

describe('ImapPoller against a real IMAP server, with a broker that refuses every publish', () => {
  const imap = new ImapServer();
  let poller: ImapPoller;
  let publisher: EventPublisher;
  const { logger, lines } = recordingLogger();

  beforeAll(async () => {
    await imap.start();
    const env = loadEnv(emailEnvSchema, {
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      LOG_LEVEL: 'silent',
      EMAIL_IMAP_URL: imap.url,
      EMAIL_IMAP_POLL_MS: '100',
      EMAIL_PUBLISH_TIMEOUT_MS: '5000',
      EMAIL_MAX_BYTES: '2048',
    });
    // The real broker, refusing every produce request: no topic may have this name.
    publisher = new EventPublisher(new KafkaConnection({ brokers: env.KAFKA_BROKERS, clientId: 'imap-poller-spec', topicPrefix: 'no topic/may be named:', partitions: 1 }, quiet));
    poller = new ImapPoller(env, new ReceiveEmailUseCase(env, publisher, logger), logger);
  });

  afterAll(async () => {
    await poller.beforeApplicationShutdown();
    await publisher.disconnect();
    await imap.stop();
  });

  it('leaves a mail it could not publish unseen and reads it again on the next polls, while a mail that can never be taken is flagged \\Seen', async () => {
    const malformed = imap.append('To: support@example.com\r\nSubject: no sender\r\nMessage-ID: <nofrom@mail.test>\r\n\r\nhello\r\n');
    const oversize = imap.append(`From: big@mail.test\r\nTo: support@example.com\r\nMessage-ID: <big@mail.test>\r\n\r\n${'x'.repeat(4_000)}\r\n`);
    const customer = imap.append('From: sari@mail.test\r\nTo: support@example.com\r\nSubject: Transfer\r\nMessage-ID: <sari-imap@mail.test>\r\n\r\ntransfer gagal\r\n');
    poller.onApplicationBootstrap();

    const retried = () => lines.filter((l) => l.fields.uid === customer && /could not publish/.test(l.msg)).length;
    await eventually(() => retried() >= 2 || undefined, 30_000, 'the unpublished mail was not read again');
    expect(imap.flags(customer)).not.toContain('\\Seen');
    expect(imap.flags(malformed)).toContain('\\Seen');
    expect(imap.flags(oversize)).toContain('\\Seen');
    expect(lines.some((l) => l.fields.uid === malformed && /refused a malformed mail/.test(l.msg))).toBe(true);
    expect(poller.status()).toMatchObject({ ok: true, state: 'polling', mailbox: 'INBOX', failures: 0 });
  });

  it('stops on shutdown and leaves the mailbox as it was', async () => {
    await poller.beforeApplicationShutdown();
    expect(poller.state).toBe('stopped');
    const later = imap.append('From: late@mail.test\r\nTo: support@example.com\r\nMessage-ID: <late@mail.test>\r\n\r\nhi\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(imap.flags(later)).toEqual([]);
  });
});
