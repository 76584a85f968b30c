import { isBounce, readBounce } from './bounce';
import { ourMessageId } from './message-ids';

const NOTIFICATION = '3f2b8c1e-0d4a-5b6c-8d7e-9f0a1b2c3d4e';

const dsn = (messageId: string, action = 'failed', status = '5.1.1') =>
  [
    'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.gmail.com>',
    'To: support@example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered to nobody@gmail.com.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.gmail.com',
    '',
    'Final-Recipient: rfc822; nobody@gmail.com',
    `Action: ${action}`,
    `Status: ${status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${messageId}`,
    'Subject: We received your message [SB-1042]',
    '--b1--',
  ].join('\r\n');

describe('bounces', () => {
  it('recognises mailer-daemon, postmaster and delivery-status reports', () => {
    expect(isBounce({}, 'MAILER-DAEMON@mx.gmail.com')).toBe(true);
    expect(isBounce({}, 'postmaster@mail.id')).toBe(true);
    expect(isBounce({ 'content-type': ['multipart/report; report-type="delivery-status"; boundary=x'] }, 'bounces@amazonses.com')).toBe(true);
    expect(isBounce({ 'content-type': ['multipart/report; report-type=disposition-notification'] }, 'sari@gmail.com')).toBe(false);
    expect(isBounce({ 'content-type': ['text/plain'] }, 'sari@gmail.com')).toBe(false);
  });

  it('reads the failed notification and the DSN status from the report', () => {
    const bounce = readBounce(dsn(ourMessageId(1042, NOTIFICATION, 'example.com')), ['example.com']);
    expect(bounce).toEqual({
      notificationIds: [NOTIFICATION],
      outcome: 'failed',
      statusCode: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 The email account that you tried to reach does not exist.',
    });
  });

  it('tells a failure from a success report and from interim news', () => {
    const id = ourMessageId(1042, NOTIFICATION, 'example.com');
    expect(readBounce(dsn(id, 'delivered', '2.0.0'), ['example.com'])).toMatchObject({ outcome: 'delivered', statusCode: '2.0.0' });
    expect(readBounce(dsn(id, 'delayed', '4.4.7'), ['example.com']).outcome).toBeUndefined();
    const oldStyle = `From: MAILER-DAEMON@mx.mail.id\r\nSubject: failure notice\r\n\r\nSorry, I could not deliver.\r\n--- Below this line is a copy of the message.\r\nMessage-ID: ${id}\r\n`;
    expect(readBounce(oldStyle, ['example.com'])).toEqual({ notificationIds: [NOTIFICATION], outcome: 'failed' });
  });

  it('finds no notification in a bounce of someone else\'s mail', () => {
    expect(readBounce(dsn('<CAF=abc@mail.gmail.com>'), ['example.com']).notificationIds).toEqual([]);
  });
});
