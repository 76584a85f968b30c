import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { FakeTwilio } from '@switchboard/testing';
import { RedirectingRequestClient } from './twilio-client';

/** The real SDK, pointed at the fake through its httpClient option: what channel-sms does with TWILIO_API_BASE_URL. */
describe('the twilio SDK against the fake Twilio', () => {
  const fake = new FakeTwilio({ callbackDelayMs: 5 });
  const callbacks: { url: string; signature: string; params: Record<string, string> }[] = [];
  let receiver: Server;
  let callbackUrl: string;

  beforeAll(async () => {
    await fake.start();
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        callbacks.push({ url: `${callbackUrl.split('/status')[0]}${request.url}`, signature: String(request.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(raw)) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status?notificationId=n-1`;
  });

  afterAll(async () => {
    await fake.stop();
    await new Promise((done) => receiver.close(done));
  });

  const client = (token = fake.authToken) => twilio(fake.accountSid, token, { httpClient: new RedirectingRequestClient(fake.url, 5_000) });

  it('creates a message, then calls the status callback with valid signatures: sent, delivered', async () => {
    const message = await client().messages.create({ to: '+6281234567890', from: '+15005550006', body: 'Tiket #12 diterima', statusCallback: callbackUrl });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
    expect(message.numSegments).toBe('1');
    expect(fake.messagesTo('+6281234567890')).toEqual([expect.objectContaining({ sid: message.sid, body: 'Tiket #12 diterima', from: '+15005550006', statusCallback: callbackUrl })]);

    await fake.waitForMessage((m) => m.sid === message.sid && m.callbacks.length === 2);
    const mine = callbacks.filter((c) => c.params.MessageSid === message.sid);
    expect(mine.map((c) => c.params.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const c of mine) {
      expect(c.url).toBe(callbackUrl);
      expect(twilio.validateRequest(fake.authToken, c.signature, c.url, c.params)).toBe(true);
      expect(twilio.validateRequest('another-token-0123456789', c.signature, c.url, c.params)).toBe(false);
    }
  });

  it('reports the configured failure with its error code', async () => {
    fake.failDeliveries('+6281111111111', { status: 'undelivered', errorCode: 30003 });
    const message = await client().messages.create({ to: '+6281111111111', messagingServiceSid: 'MG' + 'a'.repeat(32), body: 'hi', statusCallback: callbackUrl });
    expect(message.status).toBe('accepted');
    await fake.waitForMessage((m) => m.sid === message.sid && m.callbacks.length === 2);
    expect(callbacks.filter((c) => c.params.MessageSid === message.sid).map((c) => [c.params.MessageStatus, c.params.ErrorCode])).toEqual([
      ['sent', undefined],
      ['undelivered', '30003'],
    ]);
  });

  it('answers bad requests with Twilio’s errors, which the SDK raises as RestException', async () => {
    await expect(client().messages.create({ to: '0812', from: '+15005550006', body: 'x' })).rejects.toMatchObject({ status: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' });
    await expect(client().messages.create({ to: '+6281234567890', from: '+15005550006', body: 'x'.repeat(1_601) })).rejects.toMatchObject({ status: 400, code: 21617 });
    await expect(client('wrong-token-0123456789abcdef').messages.create({ to: '+6281234567890', from: '+15005550006', body: 'x' })).rejects.toMatchObject({ status: 401, code: 20003 });
    fake.refuse('+6282222222222', { httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await expect(client().messages.create({ to: '+6282222222222', from: '+15005550006', body: 'x' })).rejects.toMatchObject({ status: 400, code: 21610 });
    expect(fake.messagesTo('+6282222222222')).toEqual([]);
  });

  it('fetches a message it holds', async () => {
    const created = await client().messages.create({ to: '+6283333333333', from: '+15005550006', body: 'hello' });
    expect((await client().messages(created.sid).fetch()).body).toBe('hello');
  });
});
