import twilio, { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { SmsEnv } from './sms.config';

/**
 * Twilio's own HTTP client, sending every request to another origin: the SDK builds URLs for
 * https://api.twilio.com (and its regional hosts), and `httpClient` is its supported extension
 * point for how requests travel. Used only when TWILIO_API_BASE_URL is set (tests, local demos);
 * the path, query, auth and body stay exactly what the SDK made.
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, timeoutMs: number) {
    super({ timeout: timeoutMs });
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const original = new URL(opts.uri);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const target = new URL(this.base.origin + prefix + original.pathname + original.search);
    return super.request({ ...opts, uri: target.href });
  }
}

/** Calls to Twilio give up after this; the outbound consumer then retries with backoff. */
const TIMEOUT_MS = 15_000;

export function twilioClient(env: SmsEnv): Twilio {
  return twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
    timeout: TIMEOUT_MS,
    ...(env.TWILIO_API_BASE_URL ? { httpClient: new RedirectingRequestClient(env.TWILIO_API_BASE_URL, TIMEOUT_MS) } : {}),
  });
}

export const TWILIO_CLIENT = Symbol('TWILIO_CLIENT');
