import { OutboundMessage, ticketTokenOf } from '@switchboard/contracts';
import { ourMessageId, splitMessageIds } from './message-ids';

export interface ComposedEmail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references?: string[];
  headers: Record<string, string>;
}

/**
 * What we send for a notification: our own Message-ID (ticket and notification inside), the ticket
 * token in the subject, the customer's thread kept through In-Reply-To/References, and an
 * Auto-Submitted mark on automatic mail so the customer's auto-responder does not answer it.
 */
export function composeOutboundEmail(outbound: OutboundMessage, domain: string): ComposedEmail {
  const token = ticketTokenOf(outbound.ticketNumber);
  const base = outbound.subject?.trim() || `Your support request`;
  const subject = new RegExp(`\\[${token}\\]`, 'i').test(base) ? base : `${base} [${token}]`;
  const inReplyTo = splitMessageIds(outbound.inReplyTo)[0];
  return {
    messageId: ourMessageId(outbound.ticketNumber, outbound.notificationId, domain),
    to: outbound.contact.displayName ? `"${outbound.contact.displayName.replace(/["\\\r\n]/g, '')}" <${outbound.contact.address}>` : outbound.contact.address,
    subject,
    text: outbound.text,
    html: outbound.html ?? htmlOf(outbound.text),
    ...(inReplyTo ? { inReplyTo, references: [inReplyTo] } : {}),
    headers: outbound.automatic ? { 'Auto-Submitted': 'auto-replied' } : {},
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Paragraphs and line breaks of the plain text, escaped. */
function htmlOf(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif">\n${paragraphs}\n</body></html>`;
}
