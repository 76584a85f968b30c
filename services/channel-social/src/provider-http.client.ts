import { Inject, Injectable } from '@nestjs/common';
import { ProviderRequest } from '@switchboard/channels';
import { SOCIAL_ENV, SocialEnv } from './social.config';

/**
 * `answered`: the provider replied (any status). `unreachable`: the request never left (refused,
 * no such host), so sending again later cannot duplicate. `lost`: it may or may not have arrived.
 */
export type ProviderCall = { kind: 'answered'; status: number; json: unknown } | { kind: 'unreachable'; reason: string } | { kind: 'lost'; reason: string };

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The providers' HTTP APIs over global fetch; base URLs come from configuration, so tests point it at local fakes. */
@Injectable()
export class ProviderHttpClient {
  constructor(@Inject(SOCIAL_ENV) private readonly env: SocialEnv) {}

  async post(request: ProviderRequest): Promise<ProviderCall> {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.env.SOCIAL_SEND_TIMEOUT_MS),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      if (typeof code === 'string' && NEVER_SENT.has(code)) return { kind: 'unreachable', reason: code };
      const name = (error as { name?: unknown }).name;
      return { kind: 'lost', reason: name === 'TimeoutError' ? `no answer within ${this.env.SOCIAL_SEND_TIMEOUT_MS} ms` : String(code ?? (error as Error).message) };
    }
    const text = await response.text().catch(() => '');
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Proxies answer HTML on 5xx; the status code is what we report then.
    }
    return { kind: 'answered', status: response.status, json };
  }
}
