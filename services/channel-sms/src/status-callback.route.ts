import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { deliveryStatusOfTwilio, publicWebhookUrl, STATUS_WEBHOOK_PATH, statusCallbackQuerySchema, twilioStatusCallbackSchema } from '@switchboard/channels';
import { parseOrProblems } from './parse-or-400';
import { SMS_ENV, SmsEnv } from './sms.config';
import { StatusCallbackBatcher } from './status-callback-batcher';

type Reply = { status: number; body?: object };

/** Twilio's callbacks carry a dozen parameters; more is not Twilio. */
const PARAMETER_LIMIT = 200;

/**
 * Twilio's StatusCallback for messages we sent: each step becomes a receipt on `deliveries`.
 *
 * Two of these come for every SMS, so they take a short way through the server: a plain route on
 * the Express instance, registered before Nest adds its body parsers and middleware, reading the
 * small form body itself. Through the Nest controller each callback cost the urlencoded parser
 * (qs, raw-body, type-is), the router, guard and interceptors, and pino-http's "request completed"
 * line with every header (together about a quarter of channel-sms's CPU under the notification
 * benchmark). The checks are the same as the incoming-message webhook's, in the same order: a body
 * over the limit is 413, a missing or wrong `X-Twilio-Signature` 403 (twilio.validateRequest
 * against SMS_PUBLIC_BASE_URL + path and query), parameters that are not Twilio's 400; each
 * refusal is logged. An accepted callback is logged at debug; the batcher logs one line per group.
 */
@Injectable()
export class StatusCallbackRoute {
  constructor(
    adapterHost: HttpAdapterHost,
    @Inject(SMS_ENV) private readonly env: SmsEnv,
    private readonly callbacks: StatusCallbackBatcher,
    private readonly logger: PinoLogger,
  ) {
    (adapterHost.httpAdapter as ExpressAdapter).post(STATUS_WEBHOOK_PATH, (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse) => {
      this.handle(request)
        .catch((error: unknown): Reply => {
          this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'status callback not stored; Twilio will post it again');
          return { status: 500, body: { statusCode: 500, message: 'Internal server error' } };
        })
        .then((reply) => send(response, reply), () => undefined);
    });
  }

  private async handle(request: IncomingMessage & { originalUrl?: string }): Promise<Reply> {
    const path = request.originalUrl ?? request.url ?? STATUS_WEBHOOK_PATH;
    const url = publicWebhookUrl(this.env.SMS_PUBLIC_BASE_URL, path);
    const raw = await readLimited(request, this.env.SMS_WEBHOOK_BODY_LIMIT);
    if (raw === undefined) {
      this.logger.warn({ url, limit: this.env.SMS_WEBHOOK_BODY_LIMIT }, 'Twilio status callback over the body limit refused');
      return { status: 413, body: { statusCode: 413, message: `request entity too large (limit ${this.env.SMS_WEBHOOK_BODY_LIMIT} bytes)` } };
    }
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
    const params = isForm ? formParams(raw) : {};
    if (params === undefined) {
      this.logger.warn({ url }, 'Twilio status callback with too many parameters refused');
      return { status: 413, body: { statusCode: 413, message: `too many parameters (limit ${PARAMETER_LIMIT})` } };
    }

    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') {
      this.logger.warn({ url }, 'Twilio webhook without X-Twilio-Signature refused');
      return { status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'missing X-Twilio-Signature' } };
    }
    if (!twilio.validateRequest(this.env.TWILIO_AUTH_TOKEN, signature, url, params)) {
      // The usual cause is a proxy: Twilio signed another URL than SMS_PUBLIC_BASE_URL + path.
      this.logger.warn({ url }, 'Twilio webhook with a signature that does not match refused');
      return { status: 403, body: { statusCode: 403, error: 'Forbidden', message: `X-Twilio-Signature does not match (checked against ${url}; set SMS_PUBLIC_BASE_URL to the address Twilio calls)` } };
    }

    const query = parseOrProblems(statusCallbackQuerySchema, queryParams(path), 'the callback URL query');
    if (!query.ok) return this.refused(url, query.body);
    const body = parseOrProblems(twilioStatusCallbackSchema, params, 'the status callback parameters');
    if (!body.ok) return this.refused(url, body.body);

    const { notificationId } = query.data;
    const callback = body.data;
    const status = deliveryStatusOfTwilio(callback.MessageStatus);
    const log = { notificationId, messageSid: callback.MessageSid, twilioStatus: callback.MessageStatus, errorCode: callback.ErrorCode };
    if (!status) {
      this.logger.info(log, 'status without a receipt ignored');
      return { status: 204 };
    }
    const error =
      callback.ErrorCode || status === 'failed' || status === 'undelivered'
        ? { ...(callback.ErrorCode ? { code: callback.ErrorCode } : {}), message: `Twilio reported ${callback.MessageStatus}${callback.ErrorCode ? ` (error ${callback.ErrorCode})` : ''}` }
        : undefined;
    // Answered once the receipt is on `deliveries` and the outbox knows: stored with the callbacks that came in meanwhile.
    await this.callbacks.submit({ receipt: { notificationId, status, providerMessageId: callback.MessageSid, error, at: new Date() }, messageSid: callback.MessageSid, twilioStatus: callback.MessageStatus });
    this.logger.debug(log, 'SMS status');
    return { status: 204 };
  }

  private refused(url: string, body: { message: string; problems: unknown[] }): Reply {
    this.logger.warn({ url, problems: body.problems }, body.message);
    return { status: 400, body };
  }
}

/** The body as text, or undefined once it is over `limit` bytes (by its Content-Length, or as it arrives). */
async function readLimited(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Flat parameters as Twilio signs them; a repeated one becomes an array (which the schema refuses). */
export function formParams(raw: string): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let count = 0;
  for (const [key, value] of new URLSearchParams(raw)) {
    if (++count > PARAMETER_LIMIT) return undefined;
    const existing = params[key];
    params[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return params;
}

function queryParams(path: string): Record<string, string | string[]> {
  const at = path.indexOf('?');
  return (at < 0 ? {} : formParams(path.slice(at + 1))) ?? {};
}

function send(response: ServerResponse, { status, body }: Reply): void {
  if (response.headersSent) return;
  if (!body) {
    response.writeHead(status).end();
    return;
  }
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
}
