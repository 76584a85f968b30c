import { Connection } from 'mongoose';
import { createTransport } from 'nodemailer';
import { DeliveryReceipt, InboundMessage } from '@switchboard/contracts';
import { eventually, freePort, ImapServer, SmtpSink, SunkMail } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

const SUPPORT = 'support@example.com';

function mail(lines: string[]): string {
  return [...lines, ''].join('\r\n');
}

describe('email over IMAP: a team’s existing mailbox is polled, each mail taken once it is on Kafka', () => {
  const sink = new SmtpSink();
  const imap = new ImapServer();
  let imapPort = 0;
  let ingressPort = 0;

  beforeAll(async () => {
    await sink.start();
    ingressPort = await freePort();
    // Reserved, not listening: the mailbox is down when channel-email starts.
    imapPort = await freePort();
  });

  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-email'], () => ({
    'channel-email': {
      EMAIL_SMTP_PORT: String(ingressPort),
      EMAIL_SMTP_URL: sink.url,
      EMAIL_FROM: `Switchboard Support <${SUPPORT}>`,
      EMAIL_IMAP_URL: `imap://${encodeURIComponent(imap.user)}:${encodeURIComponent(imap.password)}@127.0.0.1:${imapPort}`,
      EMAIL_IMAP_POLL_MS: '200',
    },
  }));

  let db: Connection;
  const inbound = useTopicReader(platform, 'inbound');
  const deliveries = useTopicReader(platform, 'deliveries');

  beforeAll(async () => {
    db = database();
  });

  afterAll(async () => {
    await imap.stop();
    await sink.stop();
  });

  const published = (messageId: string) => inbound.records.filter((r) => (JSON.parse(r.value ?? '{}') as InboundMessage).providerMessageId === messageId);
  const inboundOf = async (messageId: string) => JSON.parse((await eventually(() => published(messageId)[0], 30_000, `no inbound event for ${messageId}`)).value ?? '') as InboundMessage;
  const seen = (uid: number) => eventually(() => imap.flags(uid)?.includes('\\Seen'), 30_000, `mail ${uid} never flagged \\Seen`);

  const imapStatus = async () => {
    const response = await fetch(`${platform.service('channel-email').url}/health/imap`);
    return { code: response.status, body: (await response.json()) as { state: string; lastError?: string; ok?: boolean } };
  };

  it('starts and serves SMTP while the IMAP server is down, saying so on /health/imap only', async () => {
    expect(await platform.service('channel-email').healthy()).toBe(true);
    expect(await imapStatus()).toMatchObject({ code: 503, body: { state: expect.stringMatching(/^(failing|connecting)$/), lastError: expect.stringContaining('ECONNREFUSED') } });
    const mailer = createTransport({ host: '127.0.0.1', port: ingressPort, secure: false, ignoreTLS: true });
    const sent = await mailer.sendMail({ from: 'smtp-while-down@mail.test', to: SUPPORT, messageId: '<smtp-down-1@mail.test>', subject: 'OTP', text: 'OTP tidak masuk' });
    mailer.close();
    expect(sent.response).toMatch(/^250 /);
    expect(await inboundOf('<smtp-down-1@mail.test>')).toMatchObject({ channel: 'email', contact: { address: 'smtp-while-down@mail.test' } });
  });

  let acknowledgement: SunkMail;

  it('once the mailbox is up, turns an unseen mail into an inbound message, a ticket and an acknowledgement, then flags it \\Seen and never publishes it again', async () => {
    await imap.start(imapPort);
    const uid = imap.append(
      mail([
        'From: Budi Santoso <budi@mail.test>',
        `To: ${SUPPORT}`,
        'Subject: Refund belum masuk',
        'Message-ID: <budi-imap-1@mail.test>',
        'Date: Sun, 29 Nov 2026 12:00:00 +0700',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Refund saya belum masuk sudah 5 hari.',
        '',
        'Pada Sen, 23 Nov 2026 Toko <cs@toko.test> menulis:',
        '> Refund diproses.',
      ]),
    );

    const message = await inboundOf('<budi-imap-1@mail.test>');
    expect(message).toMatchObject({
      channel: 'email',
      contact: { channel: 'email', address: 'budi@mail.test', displayName: 'Budi Santoso' },
      text: 'Refund saya belum masuk sudah 5 hari.',
      subject: 'Refund belum masuk',
      autoSubmitted: false,
    });
    const ticket = await eventually(async () => (await db.collection('tickets').findOne({ contactKey: 'email::budi@mail.test' })) ?? undefined, 30_000);
    expect(ticket).toMatchObject({ channel: 'email', status: 'open' });

    acknowledgement = await sink.waitFor('budi@mail.test');
    expect(acknowledgement.parsed.subject).toContain(`[SB-${ticket.number}]`);
    expect(acknowledgement.parsed.inReplyTo).toBe('<budi-imap-1@mail.test>');
    await deliveries.waitFor((r) => (JSON.parse(r.value ?? '{}') as DeliveryReceipt).status === 'sent', 30_000);

    await seen(uid);
    expect(await imapStatus()).toMatchObject({ code: 200, body: { ok: true, state: 'polling' } });
    // A later mail taken proves later polls ran; the first one was not published again by them.
    const marker = imap.append(mail(['From: marker@mail.test', `To: ${SUPPORT}`, 'Subject: after', 'Message-ID: <marker-imap-1@mail.test>', '', 'saldo tidak bertambah']));
    await seen(marker);
    await inboundOf('<marker-imap-1@mail.test>');
    expect(published('<budi-imap-1@mail.test>')).toHaveLength(1);
    expect(await db.collection('ticket_messages').countDocuments({ contactKey: 'email::budi@mail.test' })).toBe(1);
  });

  it('reconnects after the connection drops, and records a bounce in the mailbox as a failed delivery, not a ticket', async () => {
    imap.dropConnections();
    const ourId = acknowledgement.parsed.messageId as string;
    const uid = imap.append(
      mail([
        'From: Mail Delivery System <MAILER-DAEMON@mx.mail.test>',
        `To: ${SUPPORT}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-imap-1@mx.mail.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
        '',
        '--dsn',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'Your message could not be delivered.',
        '--dsn',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.mail.test',
        '',
        'Final-Recipient: rfc822; budi@mail.test',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <budi@mail.test>: Recipient address rejected: User unknown',
        '--dsn',
        'Content-Type: text/rfc822-headers',
        '',
        `From: Switchboard Support <${SUPPORT}>`,
        'To: budi@mail.test',
        `Message-ID: ${ourId}`,
        '--dsn--',
      ]),
    );

    const failed = JSON.parse((await deliveries.waitFor((r) => (JSON.parse(r.value ?? '{}') as DeliveryReceipt).status === 'failed', 30_000)).value ?? '') as DeliveryReceipt;
    expect(ourId).toContain(failed.notificationId);
    expect(failed.error).toMatchObject({ code: '5.1.1', message: expect.stringContaining('User unknown') });
    await seen(uid);
    expect(published('<bounce-imap-1@mx.mail.test>')).toHaveLength(0);
    expect(await db.collection('tickets').countDocuments({ contactKey: /mailer-daemon/i })).toBe(0);
    expect(await platform.service('channel-email').healthy()).toBe(true);
  });
});
