import { MailHeaders, headerValue } from './auto-submitted';
import { findOurMessageIds } from './message-ids';

export interface Bounce {
  /** The notifications (our Message-IDs) the bounce reports on. */
  notificationIds: string[];
  /**
   * What the report says happened: `failed` (also for old-style bounces without a DSN part),
   * `delivered` (a success DSN), or undefined for interim news (delayed, relayed, expanded).
   */
  outcome?: 'failed' | 'delivered';
  /** RFC 3463 enhanced status, e.g. `5.1.1`, when the report has one. */
  statusCode?: string;
  /** The remote server's words, for the agent reading the receipt. */
  diagnostic?: string;
}

/**
 * A delivery status notification (RFC 3464) or a mailer-daemon's bounce: never a customer's
 * message. Anything from mailer-daemon/postmaster or a `multipart/report; report-type=delivery-status`
 * is a bounce, whether or not we can tell which of our mails it is about.
 */
export function isBounce(headers: MailHeaders, fromAddress: string | undefined): boolean {
  const local = fromAddress?.split('@')[0]?.toLowerCase() ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster') return true;
  const contentType = headerValue(headers, 'content-type')?.toLowerCase() ?? '';
  return /^multipart\/report\b/.test(contentType) && /report-type\s*=\s*"?delivery-status/.test(contentType);
}

/**
 * Reads the report from the raw mail: the delivery-status part and the returned original's
 * headers are plain ASCII, and our Message-ID in them names the notification that failed.
 */
export function readBounce(raw: string, ourDomains: readonly string[]): Bounce {
  const notificationIds = findOurMessageIds(raw, ourDomains).map((ref) => ref.notificationId);
  const actions = [...raw.matchAll(/^Action:\s*([a-z]+)\s*$/gim)].map((m) => m[1].toLowerCase());
  const failed = actions.includes('failed');
  const outcome = failed || actions.length === 0 ? 'failed' : actions.includes('delivered') ? 'delivered' : undefined;
  const statuses = [...raw.matchAll(/^Status:\s*([245]\.\d{1,3}\.\d{1,3})\b/gim)].map((m) => m[1]);
  const statusCode = (failed ? statuses.find((s) => s.startsWith('5')) : undefined) ?? statuses[0] ?? /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(raw)?.[1];
  const diagnostic = /^Diagnostic-Code:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(raw)?.[1].replace(/\s+/g, ' ').trim();
  return { notificationIds, ...(outcome ? { outcome } : {}), ...(statusCode ? { statusCode } : {}), ...(diagnostic ? { diagnostic: diagnostic.slice(0, 1_000) } : {}) };
}
