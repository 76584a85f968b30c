import { randomBytes } from 'node:crypto';
import { Agent, createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { smsEncoding } from '@switchboard/channels';
import { eventually } from './topic-reader';

/**
 * A local stand-in for Twilio's REST API and its webhooks, for tests and demos. It speaks the part
 * of the Messages API the twilio SDK uses to send an SMS (form-encoded POST, HTTP basic auth,
 * Twilio's JSON and error shapes), records every message, and then calls the message's
 * StatusCallback the way Twilio does, signed with the SDK's own signature helper. Point the real
 * SDK at `url` (channel-sms: TWILIO_API_BASE_URL).
 */

export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  mediaUrl: string[];
  statusCallback?: string;
  /** The latest status, as the callbacks reported it. */
  status: string;
  errorCode?: number;
  dateCreated: Date;
  /** Each callback made, with the HTTP status the service answered (0 when it could not be reached). */
  callbacks: { status: string; httpStatus: number }[];
}

export interface FakeTwilioRequest {
  method: string;
  path: string;
  httpStatus: number;
  params: Record<string, string | string[]>;
}

/** What happens to messages to one number after Twilio accepted them. */
export type DeliveryOutcome = { status: 'undelivered' | 'failed'; errorCode: number };

/** A refusal of the API call itself, as Twilio answers it (e.g. 21610 unsubscribed recipient). */
export interface ApiRefusal {
  httpStatus: number;
  code: number;
  message: string;
}

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Pause before each status callback; Twilio's come seconds apart, tests want them quick. */
  callbackDelayMs?: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const API_VERSION = '2010-04-01';
const CREATE_PATH = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages\\.json$`);
const FETCH_PATH = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages/([^/]+)\\.json$`);

export function twilioSid(prefix: 'AC' | 'SM' | 'MM' | 'MG' | 'ME'): string {
  return prefix + randomBytes(16).toString('hex');
}

export class FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  readonly messages: FakeTwilioMessage[] = [];
  /** Every call to the REST API, refused ones included. */
  readonly requests: FakeTwilioRequest[] = [];
  private readonly outcomes = new Map<string, DeliveryOutcome>();
  private readonly refusals = new Map<string, ApiRefusal>();
  private readonly stalled = new Set<string>();
  private readonly callbacksLost = new Set<string>();
  private readonly held = new Set<ServerResponse>();
  private readonly callbackDelayMs: number;
  private readonly pending = new Set<Promise<void>>();
  /**
   * Status callbacks travel over kept-alive connections, as Twilio's do: the fake stands in for
   * Twilio's servers, and a connection (and fetch's machinery) per callback made it cost the
   * benchmark's process more CPU than the service it measures spent answering.
   */
  private readonly callbackAgents = { http: new Agent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };
  private server?: Server;

  constructor(options: FakeTwilioOptions = {}) {
    this.accountSid = options.accountSid ?? twilioSid('AC');
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    this.callbackDelayMs = options.callbackDelayMs ?? 50;
  }

  /** The base URL that replaces https://api.twilio.com. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('FakeTwilio is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.reply(response, 500, { code: 20500, message: `fake Twilio failed: ${String(error)}`, status: 500 });
      });
    });
    this.server = server;
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.destroy();
    await Promise.allSettled([...this.pending]);
    this.callbackAgents.http.destroy();
    this.callbackAgents.https.destroy();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** Accepted messages to `to` end undelivered or failed with `errorCode`, reported through the callbacks. */
  failDeliveries(to: string, outcome: DeliveryOutcome): void {
    this.outcomes.set(to, outcome);
  }

  /** The API call for `to` is refused outright with Twilio's error JSON. */
  refuse(to: string, refusal: ApiRefusal): void {
    this.refusals.set(to, refusal);
  }

  /** Calls for `to` get no answer at all (until stop): a Twilio that timed out on us, maybe after accepting. */
  stall(to: string): void {
    this.stalled.add(to);
  }

  /**
   * Messages to `to` go on as usual (their status moves on, `GET /Messages/{Sid}` tells it), but
   * their status callbacks are never posted: what Twilio's single attempt is worth when the service
   * was down at that moment.
   */
  loseCallbacks(to: string): void {
    this.callbacksLost.add(to);
  }

  messagesTo(to: string): FakeTwilioMessage[] {
    return this.messages.filter((m) => m.to === to);
  }

  waitForMessage(predicate: (message: FakeTwilioMessage) => boolean, timeoutMs = 30_000): Promise<FakeTwilioMessage> {
    return eventually(() => this.messages.find(predicate), timeoutMs, 'no message reached the fake Twilio');
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const params = formParams(raw);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const record: FakeTwilioRequest = { method: request.method ?? '', path, httpStatus: 0, params };
    this.requests.push(record);
    const answer = (status: number, body: object) => {
      record.httpStatus = status;
      this.reply(response, status, body);
    };

    const create = CREATE_PATH.exec(path);
    const fetchOne = FETCH_PATH.exec(path);
    const account = create?.[1] ?? fetchOne?.[1];
    if (!account) return answer(404, error(20404, `The requested resource ${path} was not found`, 404));
    if (!this.authorised(request.headers.authorization, account)) return answer(401, error(20003, 'Authenticate', 401));

    if (fetchOne && request.method === 'GET') {
      const message = this.messages.find((m) => m.sid === fetchOne[2]);
      return message ? answer(200, this.resource(message)) : answer(404, error(20404, `The requested resource ${path} was not found`, 404));
    }
    if (!create || request.method !== 'POST') return answer(405, error(20004, 'Method not allowed', 405));

    const one = (name: string) => (Array.isArray(params[name]) ? (params[name] as string[])[0] : (params[name] as string | undefined));
    const to = one('To');
    const from = one('From');
    const messagingServiceSid = one('MessagingServiceSid');
    const body = one('Body') ?? '';
    const mediaUrl = ([] as string[]).concat(params.MediaUrl ?? []);
    if (!to) return answer(400, error(21604, "A 'To' phone number is required.", 400));
    if (!E164.test(to)) return answer(400, error(21211, `Invalid 'To' Phone Number: ${to}`, 400));
    if (!from && !messagingServiceSid) return answer(400, error(21603, "A 'From' phone number is required.", 400));
    if (!body && mediaUrl.length === 0) return answer(400, error(21602, 'Message body is required.', 400));
    if (body.length > 1_600) return answer(400, error(21617, 'The concatenated message body exceeds the 1600 character limit.', 400));
    if (this.stalled.has(to)) {
      record.httpStatus = 0;
      this.held.add(response);
      return;
    }
    const refusal = this.refusals.get(to);
    if (refusal) return answer(refusal.httpStatus, error(refusal.code, refusal.message, refusal.httpStatus));

    const message: FakeTwilioMessage = {
      sid: twilioSid(mediaUrl.length > 0 ? 'MM' : 'SM'),
      accountSid: account,
      to,
      ...(from ? { from } : {}),
      ...(messagingServiceSid ? { messagingServiceSid } : {}),
      body,
      mediaUrl,
      ...(one('StatusCallback') ? { statusCallback: one('StatusCallback') } : {}),
      // With a Messaging Service and no From, Twilio first "accepts" and picks a sender later.
      status: messagingServiceSid && !from ? 'accepted' : 'queued',
      dateCreated: new Date(),
      callbacks: [],
    };
    this.messages.push(message);
    answer(201, this.resource(message));
    this.track(this.progress(message));
  }

  private authorised(header: string | undefined, account: string): boolean {
    const match = /^Basic (.+)$/.exec(header ?? '');
    if (!match) return false;
    const [user, ...rest] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
    return user === this.accountSid && rest.join(':') === this.authToken && account === this.accountSid;
  }

  /** Twilio's Message resource, as its API returns it. */
  private resource(m: FakeTwilioMessage) {
    const segments = smsEncoding(m.body).segments;
    return {
      account_sid: m.accountSid,
      api_version: API_VERSION,
      body: m.body,
      date_created: m.dateCreated.toUTCString(),
      date_sent: null,
      date_updated: new Date().toUTCString(),
      direction: 'outbound-api',
      error_code: m.errorCode ?? null,
      error_message: null,
      from: m.from ?? null,
      messaging_service_sid: m.messagingServiceSid ?? null,
      num_media: String(m.mediaUrl.length),
      num_segments: String(Math.max(segments, 1)),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
    };
  }

  /** sent then delivered, or the configured failure, each posted after the previous one was answered. */
  private async progress(message: FakeTwilioMessage): Promise<void> {
    const outcome = this.outcomes.get(message.to);
    const steps: { status: string; errorCode?: number }[] =
      outcome?.status === 'failed' ? [{ status: 'failed', errorCode: outcome.errorCode }] : [{ status: 'sent' }, outcome ? { status: outcome.status, errorCode: outcome.errorCode } : { status: 'delivered' }];
    for (const step of steps) {
      await new Promise((done) => setTimeout(done, this.callbackDelayMs));
      message.status = step.status;
      if (step.errorCode) message.errorCode = step.errorCode;
      if (!message.statusCallback || this.callbacksLost.has(message.to)) continue;
      const params: Record<string, string> = {
        AccountSid: message.accountSid,
        ApiVersion: API_VERSION,
        MessageSid: message.sid,
        MessageStatus: step.status,
        SmsSid: message.sid,
        SmsStatus: step.status,
        To: message.to,
        ...(message.from ? { From: message.from } : {}),
        ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
        ...(step.errorCode ? { ErrorCode: String(step.errorCode) } : {}),
      };
      const httpStatus = await postCallback(message.statusCallback, params, this.signature(message.statusCallback, params), this.callbackAgents).catch(() => 0);
      message.callbacks.push({ status: step.status, httpStatus });
    }
  }

  /** X-Twilio-Signature for a request to `url` with these form parameters, as Twilio computes it. */
  signature(url: string, params: Record<string, string>): string {
    return twilio.getExpectedTwilioSignature(this.authToken, url, params);
  }

  /**
   * Posts an incoming SMS to the service's webhook, signed as Twilio signs it (or with the given
   * signature, or none at all for `signature: null`). `url` must be the URL the service was told
   * Twilio calls (its public base URL and path).
   */
  sendWebhook(url: string, params: Record<string, string>, options: { signature?: string | null } = {}): Promise<Response> {
    const signature = options.signature === undefined ? this.signature(url, params) : options.signature;
    return postSignedForm(url, params, signature);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private reply(response: ServerResponse, status: number, body: object): void {
    const json = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  }
}

export interface InboundSmsOptions {
  from: string;
  body: string;
  to?: string;
  accountSid: string;
  messageSid?: string;
  /** MMS: media URLs and their content types. */
  media?: { url: string; contentType: string }[];
}

/** The parameters Twilio posts for an incoming SMS or MMS, extras included. */
export function twilioInboundSmsParams(options: InboundSmsOptions): Record<string, string> {
  const media = options.media ?? [];
  const sid = options.messageSid ?? twilioSid(media.length > 0 ? 'MM' : 'SM');
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: options.body,
    FromCountry: options.from.startsWith('+62') ? 'ID' : 'US',
    To: options.to ?? '+15005550006',
    ToZip: '',
    NumSegments: String(Math.max(1, smsEncoding(options.body).segments)),
    MessageSid: sid,
    AccountSid: options.accountSid,
    From: options.from,
    ApiVersion: API_VERSION,
  };
  media.forEach((m, i) => {
    params[`MediaUrl${i}`] = m.url;
    params[`MediaContentType${i}`] = m.contentType;
  });
  return params;
}

function error(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function postSignedForm(url: string, params: Record<string, string>, signature: string | null): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
      ...(signature !== null ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

/**
 * A signed form POST over a kept-alive connection; resolves with the HTTP status once the answer
 * is read. A kept connection the server closed just as it was reused fails before anything was
 * sent: that one is posted again on a new connection (Node's documented pattern, `reusedSocket`).
 */
function postCallback(url: string, params: Record<string, string>, signature: string, agents: { http: Agent; https: HttpsAgent }, again = true): Promise<number> {
  const target = new URL(url);
  const body = new URLSearchParams(params).toString();
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        agent: target.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': signature,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (again && request.reusedSocket && error.code === 'ECONNRESET') resolve(postCallback(url, params, signature, agents, false));
      else reject(error);
    });
    request.end(body);
  });
}

function formParams(raw: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
