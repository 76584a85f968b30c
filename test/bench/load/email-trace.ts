import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentiles, Percentiles } from './metrics';

/**
 * Where an email acknowledgement's time goes, hop by hop (epoch ms on one machine's clock): the
 * routing seen on `tickets`, the notifier's composing (`createdAt`) and publishing (the record's
 * Kafka timestamp), channel-email taking, claiming and sending it (its `mail sent` log line), and
 * the sink's session (MAIL FROM, end of DATA, parsed).
 */
export interface EmailStamps {
  acceptedAt?: number;
  routedAt?: number;
  publishedAt?: number;
  createdAt?: number;
  takenAt?: number;
  claimedAt?: number;
  startedAt?: number;
  sentAt?: number;
  mailFromAt?: number;
  receivedAt?: number;
  parsedAt?: number;
}

const HOPS: [string, keyof EmailStamps, keyof EmailStamps][] = [
  ['accepted->routed', 'acceptedAt', 'routedAt'],
  ['routed->composed', 'routedAt', 'createdAt'],
  ['composed->published', 'createdAt', 'publishedAt'],
  ['published->taken', 'publishedAt', 'takenAt'],
  ['taken->claimed', 'takenAt', 'claimedAt'],
  ['claimed->send', 'claimedAt', 'startedAt'],
  ['send->MAIL FROM', 'startedAt', 'mailFromAt'],
  ['MAIL FROM->DATA end', 'mailFromAt', 'receivedAt'],
  ['DATA end->250 seen', 'receivedAt', 'sentAt'],
  ['DATA end->parsed', 'receivedAt', 'parsedAt'],
];

export type EmailBreakdown = Record<string, Percentiles>;

export function emailBreakdown(mails: EmailStamps[]): EmailBreakdown {
  const out: EmailBreakdown = {};
  for (const [name, from, to] of HOPS) {
    const spans = mails.filter((m) => m[from] !== undefined && m[to] !== undefined).map((m) => (m[to] as number) - (m[from] as number));
    out[name] = percentiles(spans);
  }
  return out;
}

/** channel-email's `mail sent` lines (LOG_LEVEL=info), by lower-case recipient, the first of each. */
export function mailSentStamps(logDir: string): Map<string, Pick<EmailStamps, 'createdAt' | 'takenAt' | 'claimedAt' | 'startedAt' | 'sentAt'>> {
  const out = new Map<string, Pick<EmailStamps, 'createdAt' | 'takenAt' | 'claimedAt' | 'startedAt' | 'sentAt'>>();
  let text = '';
  try {
    text = readFileSync(join(logDir, 'channel-email.log'), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"mail sent"')) continue;
    try {
      const entry = JSON.parse(line) as { to?: string; createdAt?: number; takenAt?: number; claimedAt?: number; startedAt?: number; sentAt?: number };
      const to = entry.to?.toLowerCase();
      if (to && !out.has(to)) out.set(to, { createdAt: entry.createdAt, takenAt: entry.takenAt, claimedAt: entry.claimedAt, startedAt: entry.startedAt, sentAt: entry.sentAt });
    } catch {
      // a line cut by a concurrent write
    }
  }
  return out;
}

export function formatBreakdown(breakdown: EmailBreakdown): string[] {
  return Object.entries(breakdown)
    .filter(([, p]) => p.n > 0)
    .map(([hop, p]) => `${hop.padEnd(20)} n ${String(p.n).padStart(4)}  p50 ${p.p50.toFixed(0).padStart(6)}  p95 ${p.p95.toFixed(0).padStart(6)}  max ${p.max.toFixed(0).padStart(6)} ms`);
}
