import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { FakeTwilio } from '@switchboard/testing';
import { SMS_ENV, smsEnvSchema } from './sms.config';
import { StatusCallback, StatusCallbackBatcher } from './status-callback-batcher';
import { StatusCallbackRoute } from './status-callback.route';
import { WebhookBodyParser } from './webhook-body-parser';

/**
 * The status callback's short way through the server, in a real Nest/Express app with the
 * service's body parser registered after it: what it accepts reaches the batcher, what it refuses
 * gets the same answers the Nest controller gave (403, 400, 413) and nothing is submitted.
 * The batcher stands in for Kafka and MongoDB here; the e2e tests run the whole path.
 */
describe('POST /webhooks/twilio/status', () => {
  const fake = new FakeTwilio();
  const submitted: StatusCallback[] = [];
  let failNext = false;
  const batcher = {
    submit: async (callback: StatusCallback) => {
      if (failNext) {
        failNext = false;
        throw new Error('broker down');
      }
      submitted.push(callback);
    },
  };
  let app: INestApplication;
  let base: string;
  const env = () =>
    smsEnvSchema.parse({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: '+15005550006',
      SMS_PUBLIC_BASE_URL: 'https://sms.example.com',
      SMS_WEBHOOK_BODY_LIMIT: '2048',
    });

  beforeAll(async () => {
    @Module({
      providers: [
        { provide: SMS_ENV, useValue: env() },
        { provide: StatusCallbackBatcher, useValue: batcher },
        { provide: PinoLogger, useValue: new PinoLogger({ pinoHttp: { level: 'silent' } }) },
        WebhookBodyParser,
        StatusCallbackRoute,
      ],
    })
    class RouteModule {}
    app = await NestFactory.create(RouteModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => (submitted.length = 0));

  const sid = 'SM' + 'a1'.repeat(16);
  const publicUrl = (query = '?notificationId=n-1') => `https://sms.example.com/webhooks/twilio/status${query}`;
  const params = (extra: Record<string, string> = {}) => ({ AccountSid: fake.accountSid, MessageSid: sid, MessageStatus: 'delivered', SmsSid: sid, SmsStatus: 'delivered', To: '+6281234567890', ApiVersion: '2010-04-01', ...extra });
  /** Posts to the local server what Twilio would post to the public URL, signed for that URL. */
  const post = (body: string, options: { query?: string; signature?: string | null } = {}) =>
    fetch(`${base}/webhooks/twilio/status${options.query ?? '?notificationId=n-1'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.signature === null ? {} : { 'x-twilio-signature': options.signature ?? '' }) },
      body,
    });
  const signed = (p: Record<string, string>, query?: string) => post(new URLSearchParams(p).toString(), { query, signature: fake.signature(publicUrl(query), p) });

  it('takes a signed callback as a receipt and answers 204 once it is submitted', async () => {
    const response = await signed(params({ MessageStatus: 'undelivered', ErrorCode: '30003' }));
    expect(response.status).toBe(204);
    expect(submitted).toEqual([
      expect.objectContaining({
        messageSid: sid,
        twilioStatus: 'undelivered',
        receipt: expect.objectContaining({ notificationId: 'n-1', status: 'undelivered', providerMessageId: sid, error: { code: '30003', message: 'Twilio reported undelivered (error 30003)' } }),
      }),
    ]);
  });

  it('answers 204 to a status that makes no receipt, and submits nothing', async () => {
    expect((await signed(params({ MessageStatus: 'receiving' }))).status).toBe(204);
    expect(submitted).toEqual([]);
  });

  it('refuses a missing, wrong or tampered signature with 403', async () => {
    const body = new URLSearchParams(params()).toString();
    expect((await post(body, { signature: null })).status).toBe(403);
    expect((await post(body, { signature: new FakeTwilio().signature(publicUrl(), params()) })).status).toBe(403);
    const tampered = new URLSearchParams(params({ MessageStatus: 'failed' })).toString();
    expect((await post(tampered, { signature: fake.signature(publicUrl(), params()) })).status).toBe(403);
    // Signed for another notification: the query is part of what Twilio signs.
    expect((await post(body, { signature: fake.signature(publicUrl('?notificationId=n-2'), params()) })).status).toBe(403);
    expect(submitted).toEqual([]);
  });

  it('refuses parameters that are not Twilio’s with 400, naming them', async () => {
    const bad = await signed(params({ MessageSid: 'nope' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, problems: [expect.objectContaining({ path: 'MessageSid' })] });
    const noId = await signed(params(), '?other=1');
    expect(noId.status).toBe(400);
    // A repeated parameter is not Twilio's (it signs flat parameters): it never reaches the batcher.
    const repeated = `${new URLSearchParams(params()).toString()}&MessageStatus=sent`;
    expect([400, 403]).toContain((await post(repeated, { signature: fake.signature(publicUrl(), params()) })).status);
    expect(submitted).toEqual([]);
  });

  it('refuses a body over SMS_WEBHOOK_BODY_LIMIT with 413 and keeps serving', async () => {
    expect((await signed(params({ Body: 'x'.repeat(4096) }))).status).toBe(413);
    expect((await signed(params())).status).toBe(204);
  });

  it('answers 500 when the receipt could not be stored, so Twilio posts it again', async () => {
    failNext = true;
    expect((await signed(params())).status).toBe(500);
    expect((await signed(params())).status).toBe(204);
    expect(submitted).toHaveLength(1);
  });
});
