import fc from 'fast-check';
import { deterministicId, inboundMessageSchema } from '@switchboard/contracts';
import { classifySendFailure, deliveryStatusOfTwilio, smsReceipt } from './sms-delivery';
import { inboundSmsIntent, normaliseTwilioSms } from './sms-inbound';
import { smsKeyword } from './sms-keywords';
import { statusCallbackQuerySchema, twilioInboundSmsSchema, twilioStatusCallbackSchema } from './twilio-params';
import { publicWebhookUrl, statusCallbackUrl } from './webhook-url';

const SID = 'SM' + 'a1'.repeat(16);
const ACCOUNT = 'AC' + '0f'.repeat(16);
const at = new Date('2026-11-29T08:00:00Z');

/** Roughly what Twilio posts for an SMS, extras included. */
const twilioSms = (over: Record<string, string> = {}) => ({
  ToCountry: 'ID',
  ToState: '',
  SmsMessageSid: SID,
  NumMedia: '0',
  ToCity: '',
  FromZip: '',
  SmsSid: SID,
  FromState: '',
  SmsStatus: 'received',
  FromCity: '',
  Body: 'gk bisa login min, akun saya terkunci',
  FromCountry: 'ID',
  To: '+15005550006',
  ToZip: '',
  NumSegments: '1',
  ReferralNumMedia: '0',
  MessageSid: SID,
  AccountSid: ACCOUNT,
  From: '+6281234567890',
  ApiVersion: '2010-04-01',
  ...over,
});

const parse = (params: Record<string, unknown>) => twilioInboundSmsSchema.parse(params);
const problems = (params: Record<string, unknown>) => {
  const result = twilioInboundSmsSchema.safeParse(params);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('inbound SMS from Twilio', () => {
  it('normalises into a valid inbound event: sms contact, verified phone, id from the message SID', () => {
    const event = inboundMessageSchema.parse(normaliseTwilioSms(parse(twilioSms()), at));
    expect(event).toMatchObject({
      eventId: deterministicId('inbound', 'twilio', SID),
      channel: 'sms',
      provider: 'twilio',
      providerMessageId: SID,
      contact: { channel: 'sms', address: '+6281234567890', provider: 'twilio' },
      contactKey: 'sms:twilio:+6281234567890',
      text: 'gk bisa login min, akun saya terkunci',
      identities: [{ kind: 'phone', value: '+6281234567890', verified: true }],
      attachments: [],
      autoSubmitted: false,
      receivedAt: '2026-11-29T08:00:00.000Z',
      metadata: { to: '+15005550006', segments: '1', fromCountry: 'ID' },
    });
  });

  it('gives a webhook delivered twice the same event id, and another message another one', () => {
    const a = normaliseTwilioSms(parse(twilioSms()), at);
    const b = normaliseTwilioSms(parse(twilioSms()), new Date(at.getTime() + 5_000));
    const c = normaliseTwilioSms(parse(twilioSms({ MessageSid: 'SM' + 'b2'.repeat(16) })), at);
    expect(b.eventId).toBe(a.eventId);
    expect(c.eventId).not.toBe(a.eventId);
  });

  it('keeps MMS media as attachments, in order', () => {
    const params = parse(
      twilioSms({
        MessageSid: 'MM' + 'c3'.repeat(16),
        Body: '',
        NumMedia: '2',
        MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME1`,
        MediaContentType0: 'image/jpeg',
        MediaUrl1: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME2`,
        MediaContentType1: 'application/pdf',
      }),
    );
    const event = inboundMessageSchema.parse(normaliseTwilioSms(params, at));
    expect(event.attachments).toEqual([
      { contentType: 'image/jpeg', url: expect.stringMatching(/ME1$/) },
      { contentType: 'application/pdf', url: expect.stringMatching(/ME2$/) },
    ]);
    expect(inboundSmsIntent(params, at).kind).toBe('message');
  });

  it('names every missing or malformed field it needs, and lets Twilio’s other fields through', () => {
    expect(problems({})).toEqual(
      expect.arrayContaining([expect.stringMatching(/^MessageSid: required/), expect.stringMatching(/^AccountSid: required/), expect.stringMatching(/^From: required/), expect.stringMatching(/^To: required/)]),
    );
    expect(problems(twilioSms({ From: '081234567890' }))).toEqual(['From: expected an E.164 phone number such as +6281234567890']);
    expect(problems(twilioSms({ MessageSid: 'SM123' }))).toEqual([expect.stringMatching(/^MessageSid: expected a message SID/)]);
    expect(problems(twilioSms({ NumMedia: '1' }))).toEqual(['MediaUrl0: Required', 'MediaContentType0: Required']);
    expect(problems(twilioSms({ NumMedia: '1', MediaUrl0: 'not a url', MediaContentType0: 'image/png' }))).toEqual(['MediaUrl0: expected a media URL']);
    expect(problems(twilioSms({ NumMedia: '11' }))).toEqual(['NumMedia: Twilio sends at most 10 media']);
    expect(problems(twilioSms({ Body: 'x'.repeat(1_601) }))).toEqual(['Body: longer than 1600 characters']);
    expect(problems({ ...twilioSms(), Body: ['a', 'b'] })).toEqual(['Body: expected one message body']);
    expect(problems(twilioSms({ SomethingTwilioAddsNextYear: 'x' }))).toEqual([]);
  });

  it('treats a keyword alone as control, a sentence containing one as a message', () => {
    expect(inboundSmsIntent(parse(twilioSms({ Body: '  stop ' })), at)).toEqual({ kind: 'keyword', keyword: 'stop' });
    expect(inboundSmsIntent(parse(twilioSms({ Body: 'please stop the transfer' })), at).kind).toBe('message');
    expect(inboundSmsIntent(parse(twilioSms({ Body: 'hello', OptOutType: 'STOP' })), at)).toEqual({ kind: 'keyword', keyword: 'stop' });
    expect(inboundSmsIntent(parse(twilioSms({ Body: '   ' })), at)).toEqual({ kind: 'empty' });
    const captioned = parse(twilioSms({ Body: 'STOP', NumMedia: '1', MediaUrl0: 'https://example.com/m.jpg', MediaContentType0: 'image/jpeg' }));
    expect(inboundSmsIntent(captioned, at).kind).toBe('message');
  });
});

describe('SMS keywords', () => {
  it.each(['STOP', 'stop', ' Stop\n', 'STOPALL', 'unsubscribe', 'CANCEL', 'end', 'Quit'])('%j opts out', (body) => expect(smsKeyword(body)).toBe('stop'));
  it.each(['START', 'start ', 'UnStop'])('%j opts back in', (body) => expect(smsKeyword(body)).toBe('start'));
  it.each(['HELP', ' help'])('%j asks for help', (body) => expect(smsKeyword(body)).toBe('help'));
  it.each(['stop it', 'STOP!', 'stopp', 'quıt', 'help me please', '', 'tolong berhenti'])('%j is an ordinary message', (body) => expect(smsKeyword(body)).toBeNull());

  it('never throws, and finds a keyword only in a one-word text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 50 }), (s) => smsKeyword(s) === null || /^\s*[A-Za-z]+\s*$/.test(s)));
  });
});

describe('Twilio status callbacks', () => {
  it.each([
    ['accepted', 'queued'],
    ['queued', 'queued'],
    ['sending', 'sent'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
  ])('%s is %s', (twilio, ours) => expect(deliveryStatusOfTwilio(twilio)).toBe(ours));

  it('has no receipt for inbound or unknown statuses', () => {
    expect(deliveryStatusOfTwilio('received')).toBeUndefined();
    expect(deliveryStatusOfTwilio('constructor')).toBeUndefined();
  });

  it('builds one receipt per notification and status, with the error code kept', () => {
    const receipt = smsReceipt({ notificationId: 'n1', status: 'undelivered', providerMessageId: SID, error: { code: '30003', message: 'Unreachable destination handset' }, at });
    expect(receipt).toEqual({
      schemaVersion: 1,
      eventId: deterministicId('delivery', 'n1', 'undelivered'),
      notificationId: 'n1',
      channel: 'sms',
      status: 'undelivered',
      providerMessageId: SID,
      error: { code: '30003', message: 'Unreachable destination handset' },
      occurredAt: at.toISOString(),
    });
    expect(smsReceipt({ notificationId: 'n1', status: 'undelivered', at: new Date() }).eventId).toBe(receipt.eventId);
  });

  it('checks the callback fields and our own query', () => {
    expect(twilioStatusCallbackSchema.safeParse({ MessageSid: SID, AccountSid: ACCOUNT, MessageStatus: 'delivered', SmsStatus: 'delivered', ApiVersion: '2010-04-01' }).success).toBe(true);
    expect(twilioStatusCallbackSchema.safeParse({ MessageSid: SID, AccountSid: ACCOUNT, MessageStatus: 'failed', ErrorCode: 'x' }).success).toBe(false);
    expect(statusCallbackQuerySchema.safeParse({}).success).toBe(false);
    expect(statusCallbackQuerySchema.safeParse({ notificationId: 'n1', extra: 'x' }).success).toBe(false);
  });
});

describe('sending failures', () => {
  it('retries what never reached Twilio, and what Twilio asks to send later', () => {
    expect(classifySendFailure({ networkCode: 'ECONNREFUSED' })).toEqual({ kind: 'retry' });
    expect(classifySendFailure({ networkCode: 'ENOTFOUND' })).toEqual({ kind: 'retry' });
    expect(classifySendFailure({ httpStatus: 429, twilioCode: 20429 })).toEqual({ kind: 'retry' });
    expect(classifySendFailure({ httpStatus: 503 })).toEqual({ kind: 'retry' });
  });

  it('does not guess when the request may have arrived', () => {
    expect(classifySendFailure({ networkCode: 'ECONNABORTED' })).toEqual({ kind: 'unknown' });
    expect(classifySendFailure({ networkCode: 'ECONNRESET' })).toEqual({ kind: 'unknown' });
    expect(classifySendFailure({})).toEqual({ kind: 'unknown' });
  });

  it('reports refusals with Twilio’s code, and notices a Twilio-side unsubscribe', () => {
    expect(classifySendFailure({ httpStatus: 400, twilioCode: 21211 })).toEqual({ kind: 'refused', code: '21211', optedOut: false });
    expect(classifySendFailure({ httpStatus: 400, twilioCode: 21610 })).toEqual({ kind: 'refused', code: '21610', optedOut: true });
    expect(classifySendFailure({ httpStatus: 401 })).toEqual({ kind: 'refused', code: '401', optedOut: false });
  });
});

describe('webhook URLs', () => {
  it('rebuilds the URL Twilio signed from the public base and the request path', () => {
    expect(publicWebhookUrl('https://sms.example.com', '/webhooks/twilio/sms')).toBe('https://sms.example.com/webhooks/twilio/sms');
    expect(publicWebhookUrl('https://example.com/switchboard/', '/webhooks/twilio/status?notificationId=n%201')).toBe('https://example.com/switchboard/webhooks/twilio/status?notificationId=n%201');
  });

  it('puts the notification id in the status callback query, encoded', () => {
    const url = statusCallbackUrl('http://127.0.0.1:3002', 'a b&c');
    expect(url).toBe('http://127.0.0.1:3002/webhooks/twilio/status?notificationId=a%20b%26c');
    expect(new URL(url).searchParams.get('notificationId')).toBe('a b&c');
  });
});
