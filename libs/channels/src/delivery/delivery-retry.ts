import { Channel, DeliveryStatus } from '@switchboard/contracts';

/**
 * Codes that sending again cannot fix: the recipient opted out or does not exist, the message is
 * not allowed as it is, or an earlier attempt may already have reached them. Anything else
 * (rate limits, provider hiccups, a phone switched off, codes we do not know) is worth a retry.
 */
const PERMANENT: Record<Channel, ReadonlySet<string>> = {
  sms: new Set([
    'opted_out',
    // Twilio: invalid / unsubscribed / not a mobile / landline / blocked / filtered / unregistered sender
    '21211', '21212', '21265', '21408', '21610', '21612', '21614', '30004', '30005', '30006', '30007', '30034', '400', '401', '403', '404',
  ]),
  social: new Set([
    'window-closed', 'provider-disabled', 'outcome-unknown', 'no-message-id',
    // WhatsApp Cloud API: re-engagement needed, undeliverable, unsupported, recipient is sender, account locked, template problems
    '131047', '131026', '131051', '131021', '131031', '131008', '131009', '132000', '132001', '132005', '132007', '132012', '132015', '132016',
    // Telegram / Graph HTTP: bot blocked, chat not found, bad request, unauthorised
    '400', '401', '403', '404', 'http-400', 'http-401', 'http-403', 'http-404', '10', '100', '190', '551',
  ]),
  email: new Set([]),
  inapp: new Set([]),
};

/** True when the provider's error means the same message on the same channel will fail again. */
export function isPermanentDeliveryError(channel: Channel, code: string | undefined): boolean {
  if (code === undefined || code === '') return false;
  // An earlier attempt may have reached them, on any channel: sending again could say it twice.
  if (code === 'outcome-unknown') return true;
  // SMTP and DSN codes say it themselves: 5xx / 5.x.x for good, 4xx / 4.x.x for now.
  if (channel === 'email') return /^5/.test(code);
  return PERMANENT[channel].has(code);
}

export interface DeliveryFailure {
  channel: Channel;
  status: DeliveryStatus;
  code?: string;
  /** Retries already made for this notification (0 after the first send failed). */
  retriesMade: number;
}

export type AfterFailure =
  | { action: 'retry'; delayMs: number; retry: number }
  /** No retry left or worth making: another channel of the person, else the failure stands. */
  | { action: 'fall-back' }
  | { action: 'none' };

/**
 * What to do when a notification failed. `failed` means the provider did not take or send it:
 * with a temporary error it is retried on the same channel after each of `delaysMs` in turn.
 * `undelivered` means the carrier already tried (and retried) and gave up: straight to another
 * channel, as after a permanent error or the last retry.
 */
export function afterDeliveryFailure(failure: DeliveryFailure, delaysMs: readonly number[]): AfterFailure {
  if (failure.status !== 'failed' && failure.status !== 'undelivered') return { action: 'none' };
  const retryable = failure.status === 'failed' && !isPermanentDeliveryError(failure.channel, failure.code);
  if (retryable && failure.retriesMade < delaysMs.length) return { action: 'retry', delayMs: delaysMs[failure.retriesMade], retry: failure.retriesMade + 1 };
  return { action: 'fall-back' };
}

/** `30s,2m,10m` or `30000,120000` (milliseconds) to a list of delays; throws on anything else. */
export function parseRetryDelays(source: string): number[] {
  if (source.trim() === '') return [];
  return source.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(part);
    if (!match) throw new Error(`'${part.trim()}' is not a delay (use e.g. 30s, 2m, 10m or milliseconds)`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
    return Math.round(Number(match[1]) * unit);
  });
}
