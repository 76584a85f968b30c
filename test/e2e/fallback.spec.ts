import { signIdentity } from '@switchboard/channels';
import { eventually, FakeTwilio, freePort, SmtpSink, twilioInboundSmsParams } from '@switchboard/testing';
import { usePlatform } from './use-platform';

const OUR_NUMBER = '+15005550006';
const PHONE = '+6281300000601';

describe('a failed SMS falls back to the verified email of the same person', () => {
  const twilioApi = new FakeTwilio({ callbackDelayMs: 100 });
  const sink = new SmtpSink();
  beforeAll(async () => {
    await twilioApi.start();
    await sink.start();
  });

  const { platform, db } = usePlatform(['channel-inapp', 'channel-sms', 'channel-email', 'classifier', 'router', 'notifier'], async () => ({
    'channel-sms': { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioApi.url },
    'channel-email': { EMAIL_SMTP_PORT: String(await freePort()), EMAIL_SMTP_URL: sink.url, EMAIL_FROM: 'Switchboard Support <support@example.com>' },
  }));

  afterAll(async () => {
    await twilioApi.stop();
    await sink.stop();
  });

  it('sends the undelivered acknowledgement again by email, in the email form, and records both outcomes', async () => {
    // The app knows Dewi's phone and email (verified by its own sign-up): her in-app profile links them.
    const token = signIdentity({ sub: 'dewi-601', phone: PHONE, email: 'dewi@mail.test', exp: Math.floor(Date.now() / 1000) + 3600 }, platform.identitySecret);
    const posted = await fetch(`${platform.service('channel-inapp').url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'hello, question about my account', clientMessageId: 'dewi-1' }),
    });
    expect(posted.status).toBe(202);
    const inappTicket = await eventually(async () => (await db().collection('tickets').findOne({ contactKey: 'inapp::dewi-601' })) ?? undefined);
    await db().collection('tickets').updateOne({ _id: inappTicket._id }, { $set: { status: 'resolved' } });

    // Later she texts from that phone, which the carrier cannot reach back.
    twilioApi.failDeliveries(PHONE, { status: 'undelivered', errorCode: 30003 });
    const webhook = `${platform.service('channel-sms').url}/webhooks/twilio/sms`;
    const params = twilioInboundSmsParams({ from: PHONE, body: 'saldo saya kepotong Rp75.000 di Alfamart kemarin jam 3', to: OUR_NUMBER, accountSid: twilioApi.accountSid });
    expect((await twilioApi.sendWebhook(webhook, params)).status).toBe(200);

    const smsTicket = await eventually(async () => (await db().collection('tickets').findOne({ contactKey: `sms:twilio:${PHONE}` })) ?? undefined, 60_000);
    expect(smsTicket.personId).toBe(inappTicket.personId);
    const failed = await eventually(async () => (await db().collection('notifications').findOne({ ticketId: smsTicket._id, channel: 'sms', status: 'undelivered' })) ?? undefined, 60_000);
    expect(failed.errorCode).toBe('30003');

    const mail = await sink.waitFor('dewi@mail.test', () => true, 60_000);
    expect(mail.parsed.subject).toContain(`[SB-${smsTicket.number}]`);
    expect(mail.parsed.text).toContain(`#${smsTicket.number}`);
    const fallback = await eventually(async () => (await db().collection('notifications').findOne({ fallbackOf: failed._id, status: 'sent' })) ?? undefined, 60_000);
    expect(fallback).toMatchObject({ channel: 'email', contactKey: 'email::dewi@mail.test', ticketId: smsTicket._id });
    expect(twilioApi.messages.filter((m) => m.to === PHONE)).toHaveLength(1);
  });
});
