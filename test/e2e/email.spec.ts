import { encode } from 'iconv-lite';
import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { createTransport, SendMailOptions, Transporter } from 'nodemailer';
import { DeliveryReceipt, InboundMessage, OutboundMessage } from '@switchboard/contracts';
import { eventually, freePort, SmtpSink, SunkMail } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

const SUPPORT = 'support@example.com';
const NOTIFICATION_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('email: customers write to the SMTP ingress, acknowledgements go out through the relay', () => {
  const sink = new SmtpSink();
  let ingressPort = 0;

  beforeAll(async () => {
    await sink.failRecipient('gone@mail.test', 550, '5.1.1 <gone@mail.test>: Recipient address rejected: User unknown').start();
    ingressPort = await freePort();
  });

  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-email'], () => ({
    'channel-email': {
      EMAIL_SMTP_PORT: String(ingressPort),
      EMAIL_SMTP_URL: sink.url,
      EMAIL_FROM: `Switchboard Support <${SUPPORT}>`,
      EMAIL_MAX_BYTES: '65536',
    },
  }));

  let db: Connection;
  const inbound = useTopicReader(platform, 'inbound');
  const deliveries = useTopicReader(platform, 'deliveries');
  let mailer: Transporter;

  beforeAll(async () => {
    db = database();
    // The customer's mail server delivering to our MX: real SMTP, no TLS on loopback.
    mailer = createTransport({ host: '127.0.0.1', port: ingressPort, secure: false, ignoreTLS: true });
  });

  afterAll(async () => {
    mailer?.close();
    await sink.stop();
  });

  const send = (options: SendMailOptions) => mailer.sendMail({ to: SUPPORT, ...options });
  const inboundOf = async (providerMessageId: string) =>
    JSON.parse((await inbound.waitFor((r) => (JSON.parse(r.value ?? '{}') as InboundMessage).providerMessageId === providerMessageId, 30_000)).value ?? '') as InboundMessage;
  const ticketOf = (address: string) => eventually(async () => (await db.collection('tickets').findOne({ contactKey: `email::${address}` })) ?? undefined, 30_000);
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { responseCode?: number; response?: string }) => error,
    );

  let acknowledgement: SunkMail;

  it('turns a new mail into an inbound message without its quoted history, a ticket, and an acknowledgement in the customer’s thread', async () => {
    const sent = await send({
      from: 'Sari Wulandari <sari@mail.test>',
      messageId: '<sari-1@mail.test>',
      subject: 'Transfer gagal',
      text: 'Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min.\n\nPada Sen, 23 Nov 2026 10.02 Toko Online <cs@toko.test> menulis:\n> Pesanan Anda sudah dibayar.\n\n--\nSari',
    });
    expect(sent.response).toMatch(/^250 /);

    const message = await inboundOf('<sari-1@mail.test>');
    expect(message).toMatchObject({
      channel: 'email',
      contact: { channel: 'email', address: 'sari@mail.test', displayName: 'Sari Wulandari' },
      text: 'Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min.',
      subject: 'Transfer gagal',
      identities: [{ kind: 'email', value: 'sari@mail.test', verified: false }],
      autoSubmitted: false,
    });

    const ticket = await ticketOf('sari@mail.test');
    expect(ticket).toMatchObject({ channel: 'email', status: 'open' });

    acknowledgement = await sink.waitFor('sari@mail.test');
    expect(acknowledgement.parsed.from?.value[0].address).toBe(SUPPORT);
    expect(acknowledgement.parsed.subject).toContain(`[SB-${ticket.number}]`);
    expect(acknowledgement.parsed.messageId).toMatch(new RegExp(`^<sb-${ticket.number}\\.${NOTIFICATION_ID}@example\\.com>$`));
    expect(acknowledgement.parsed.inReplyTo).toBe('<sari-1@mail.test>');
    expect(acknowledgement.headers['auto-submitted']).toBe('auto-replied');
    expect(acknowledgement.parsed.text).toContain(`#${ticket.number}`);
    expect(acknowledgement.parsed.html).toContain(`#${ticket.number}`);

    const receipt = await deliveries.waitFor((r) => (JSON.parse(r.value ?? '{}') as DeliveryReceipt).status === 'sent');
    const sentReceipt = JSON.parse(receipt.value ?? '') as DeliveryReceipt;
    expect(sentReceipt).toMatchObject({ channel: 'email', providerMessageId: acknowledgement.parsed.messageId });
    expect(acknowledgement.parsed.messageId).toContain(sentReceipt.notificationId);
    await eventually(async () => (await db.collection('notifications').findOne({ _id: sentReceipt.notificationId as never, status: 'sent' })) ?? undefined);
  });

  it('threads a reply to our acknowledgement onto the same ticket by its token, reopening it and saying so in the same thread', async () => {
    const ticket = await ticketOf('sari@mail.test');
    const ourId = acknowledgement.parsed.messageId as string;
    // Resolved (as an agent would, once the console exists): a mail without the token would now
    // open a new ticket, so only the reply headers can bring this one back to it.
    await db.collection('tickets').updateOne({ _id: ticket._id }, { $set: { status: 'resolved', updatedAt: new Date() } });
    await send({
      from: 'Sari Wulandari <sari@mail.test>',
      messageId: '<sari-2@mail.test>',
      inReplyTo: ourId,
      references: ['<sari-1@mail.test>', ourId],
      subject: `Re: ${acknowledgement.parsed.subject}`,
      text: `Sudah 3 hari belum kembali.\n\nOn Sun, 29 Nov 2026 at 12:00, Switchboard Support <${SUPPORT}> wrote:\n> We received your message`,
    });

    const reply = await inboundOf('<sari-2@mail.test>');
    expect(reply.text).toBe('Sudah 3 hari belum kembali.');
    expect(reply.thread).toEqual({ ticketToken: `SB-${ticket.number}`, replyTo: [ourId, '<sari-1@mail.test>'] });
    const stored = await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: reply.eventId as never })) ?? undefined, 30_000);
    expect(stored).toMatchObject({ ticketId: ticket._id, threading: 'ticket.reopened' });
    expect(await db.collection('tickets').findOne({ _id: ticket._id })).toMatchObject({ status: 'open' });
    expect(await db.collection('tickets').countDocuments({ contactKey: 'email::sari@mail.test' })).toBe(1);
    const reopened = await eventually(() => sink.to('sari@mail.test')[1], 30_000);
    expect(reopened.parsed.subject).toContain(`[SB-${ticket.number}]`);
    expect(reopened.parsed.inReplyTo).toBe('<sari-2@mail.test>');
    expect(reopened.parsed.text).toMatch(/buka kembali/);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sink.to('sari@mail.test')).toHaveLength(2);
  });

  it('decodes a GBK-encoded mail', async () => {
    const body = encode('我的退款还没有到账，已经五天了。', 'gbk');
    const head = [
      'From: =?GBK?B?' + encode('李明', 'gbk').toString('base64') + '?= <li@mail.test>',
      `To: ${SUPPORT}`,
      'Subject: =?GBK?B?' + encode('退款问题', 'gbk').toString('base64') + '?=',
      'Message-ID: <li-gbk-1@mail.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=GBK',
      'Content-Transfer-Encoding: base64',
      '',
      body.toString('base64'),
      '',
    ].join('\r\n');
    await mailer.sendMail({ envelope: { from: 'li@mail.test', to: [SUPPORT] }, raw: head });

    const message = await inboundOf('<li-gbk-1@mail.test>');
    expect(message).toMatchObject({ text: '我的退款还没有到账，已经五天了。', subject: '退款问题', contact: { displayName: '李明' } });
    expect(await ticketOf('li@mail.test')).toMatchObject({ language: 'zh' });
  });

  it('treats the same mail delivered twice as one message', async () => {
    const mail = { from: 'dup@mail.test', messageId: '<dup-1@mail.test>', subject: 'OTP', text: 'OTP login tidak pernah masuk' };
    await send(mail);
    await send(mail);
    const message = await inboundOf('<dup-1@mail.test>');
    await sink.waitFor('dup@mail.test');
    await eventually(() => inbound.records.filter((r) => r.value?.includes('<dup-1@mail.test>')).length === 2 || undefined);
    expect(new Set(inbound.records.filter((r) => r.value?.includes('<dup-1@mail.test>')).map((r) => (JSON.parse(r.value ?? '') as InboundMessage).eventId))).toEqual(new Set([message.eventId]));
    expect(await db.collection('ticket_messages').countDocuments({ contactKey: 'email::dup@mail.test' })).toBe(1);
  });

  it('records a bounce of our acknowledgement as a failed delivery with the DSN code, and opens no ticket for it', async () => {
    const ourId = acknowledgement.parsed.messageId as string;
    const dsn = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.mail.test>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.mail.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
      '',
      '--dsn',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.mail.test. Your message could not be delivered.',
      '--dsn',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.mail.test',
      '',
      'Final-Recipient: rfc822; sari@mail.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <sari@mail.test>: Recipient address rejected: User unknown',
      '--dsn',
      'Content-Type: text/rfc822-headers',
      '',
      `From: Switchboard Support <${SUPPORT}>`,
      'To: sari@mail.test',
      `Message-ID: ${ourId}`,
      `Subject: ${acknowledgement.parsed.subject}`,
      '--dsn--',
      '',
    ].join('\r\n');
    const sent = await mailer.sendMail({ envelope: { from: 'MAILER-DAEMON@mx.mail.test', to: [SUPPORT] }, raw: dsn });
    expect(sent.response).toMatch(/^250 /);

    const failed = JSON.parse((await deliveries.waitFor((r) => (JSON.parse(r.value ?? '{}') as DeliveryReceipt).status === 'failed')).value ?? '') as DeliveryReceipt;
    expect(ourId).toContain(failed.notificationId);
    expect(failed.error).toMatchObject({ code: '5.1.1', message: expect.stringContaining('User unknown') });
    await eventually(async () => (await db.collection('notifications').findOne({ _id: failed.notificationId as never, status: 'failed' })) ?? undefined);
    expect(inbound.records.some((r) => r.value?.includes('<bounce-1@mx.mail.test>'))).toBe(false);
    expect(await db.collection('tickets').countDocuments({ contactKey: /mailer-daemon/i })).toBe(0);
  });

  it('keeps an auto-reply on a ticket but never answers it', async () => {
    await send({ from: 'away@mail.test', messageId: '<away-1@mail.test>', subject: 'Out of office', text: 'I am out of the office until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(await inboundOf('<away-1@mail.test>')).toMatchObject({ autoSubmitted: true });
    const ticket = await ticketOf('away@mail.test');

    // A mail after it is answered, so by then the notifier has seen the auto-reply's ticket too.
    await send({ from: 'after-away@mail.test', messageId: '<after-away-1@mail.test>', subject: 'Refund', text: 'refund belum masuk' });
    await sink.waitFor('after-away@mail.test');
    await eventually(async () => (await db.collection('notifications').findOne({ contactKey: 'email::after-away@mail.test' })) ?? undefined);
    expect(sink.to('away@mail.test')).toHaveLength(0);
    expect(await db.collection('notifications').countDocuments({ ticketId: ticket._id })).toBe(0);
  });

  it('refuses recipients outside our domains (550) and mail over the size limit (552)', async () => {
    const foreign = await refusal(send({ from: 'sari@mail.test', to: 'someone@elsewhere.test', text: 'hi' }));
    expect(foreign?.responseCode).toBe(550);
    expect(foreign?.response).toMatch(/only accept mail for example\.com/);

    const huge = await refusal(send({ from: 'sari@mail.test', subject: 'big', text: 'x'.repeat(100_000) }));
    expect(huge?.responseCode).toBe(552);
  });

  it('refuses a mail without a From address (5xx) and keeps serving', async () => {
    const raw = ['To: support@example.com', 'Subject: no sender', 'Message-ID: <nofrom-1@mail.test>', '', 'hello', ''].join('\r\n');
    const refused = await refusal(mailer.sendMail({ envelope: { from: 'x@mail.test', to: [SUPPORT] }, raw }));
    expect(refused?.responseCode).toBe(550);
    expect(refused?.response).toMatch(/From/);
    expect(await platform.service('channel-email').healthy()).toBe(true);
  });

  it('drops mail from our own address with a 250, so it neither loops nor retries', async () => {
    const sent = await send({ from: `Switchboard Support <${SUPPORT}>`, messageId: '<own-1@example.com>', subject: 'loop', text: 'an echo of ourselves' });
    expect(sent.response).toMatch(/^250 .*own address/);
    await send({ from: 'marker@mail.test', messageId: '<marker-1@mail.test>', subject: 'after', text: 'saldo tidak bertambah' });
    await inboundOf('<marker-1@mail.test>');
    expect(inbound.records.some((r) => r.value?.includes('<own-1@example.com>'))).toBe(false);
  });
  it('reports a relay refusal as a failed delivery with the SMTP code', async () => {
    await send({ from: 'gone@mail.test', messageId: '<gone-1@mail.test>', subject: 'Login', text: 'I cannot log in' });
    const failed = await deliveries.waitFor((r) => {
      const receipt = JSON.parse(r.value ?? '{}') as DeliveryReceipt;
      return receipt.status === 'failed' && receipt.error?.code === '550';
    });
    expect(JSON.parse(failed.value ?? '').error.message).toMatch(/User unknown/);
    expect(sink.to('gone@mail.test')).toHaveLength(0);
  });

  it('never sends one notification twice, however often it is on outbound.email', async () => {
    const outbound: OutboundMessage = {
      schemaVersion: 1,
      eventId: 'redelivery-1',
      notificationId: '0b0e5f3a-8d2c-5a41-9e77-3c1d2b4a5f60',
      kind: 'acknowledgement',
      ticketId: 'ticket-redelivery',
      ticketNumber: 9001,
      channel: 'email',
      contact: { channel: 'email', address: 'twice@mail.test' },
      contactKey: 'email::twice@mail.test',
      language: 'en',
      text: 'Your ticket number is #9001.',
      automatic: true,
      createdAt: new Date().toISOString(),
    };
    const producer = new Kafka({ clientId: 'e2e-redelivery', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    // Two events (as a producer that retried after a lost ack would write them), one notification.
    await producer.send({ topic: platform.topic('outbound.email'), messages: [{ key: outbound.contactKey, value: JSON.stringify(outbound) }] });
    await producer.send({ topic: platform.topic('outbound.email'), messages: [{ key: outbound.contactKey, value: JSON.stringify({ ...outbound, eventId: 'redelivery-2' }) }] });
    await producer.disconnect();

    const mail = await sink.waitFor('twice@mail.test');
    expect(mail.parsed.subject).toBe('Your support request [SB-9001]');
    // Both events handled: the second one's receipt repeats the first (same event id).
    await eventually(() => deliveries.records.filter((r) => r.value?.includes(outbound.notificationId)).length >= 2 || undefined);
    expect(sink.to('twice@mail.test')).toHaveLength(1);
    expect(await db.collection('email_outbox').findOne({ _id: outbound.notificationId as never })).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
