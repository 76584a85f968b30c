import { convert } from 'html-to-text';
import { contactKeyOf, deterministicId, Identity, InboundMessage, inboundMessageSchema, MAX_TEXT_LENGTH } from '@switchboard/contracts';
import { headerValue, isAutoSubmitted, MailHeaders } from './auto-submitted';
import { splitMessageIds, threadHintsOf } from './message-ids';
import { stripQuotedReply } from './reply-text';
import { isSenderVerified } from './sender-authentication';

/** A received mail as the SMTP ingress parsed it (bodies already decoded from their charsets). */
export interface ReceivedEmail {
  messageId?: string;
  from?: { address: string; name?: string };
  subject?: string;
  text?: string;
  html?: string;
  headers: MailHeaders;
  /** Envelope recipients (RCPT TO) and the To/Cc addresses. */
  recipients: string[];
  attachments: { name?: string; contentType: string; size: number }[];
  /** SHA-256 of the raw mail: the id of a mail that has no Message-ID. */
  rawDigest: string;
}

export interface InboundEmailOptions {
  /** Our domains: recipients, our Message-IDs, plus-addresses. */
  domains: readonly string[];
  trustedAuthservId?: string;
  receivedAt: Date;
}

export class EmailRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailRejection';
  }
}

/** The customer's mail as an `inbound` event: only what is new in it, threading hints, proven identity. */
export function normaliseInboundEmail(email: ReceivedEmail, options: InboundEmailOptions): InboundMessage {
  const fromAddress = email.from?.address.trim().toLowerCase();
  if (!fromAddress || fromAddress.length > 254 || !/^[^@\s]+@[^@\s]+$/.test(fromAddress)) throw new EmailRejection('the mail has no valid From address');
  const providerMessageId = messageIdOrDigest(email);
  const contact = { channel: 'email' as const, address: fromAddress, ...(email.from?.name ? { displayName: email.from.name.slice(0, 200) } : {}) };
  const thread = threadHintsOf(
    {
      subject: email.subject,
      recipients: email.recipients,
      inReplyTo: splitMessageIds(headerValue(email.headers, 'in-reply-to')),
      references: splitMessageIds(email.headers['references']?.join(' ')),
    },
    options.domains,
  );
  const identity: Identity = {
    kind: 'email',
    value: fromAddress.slice(0, 320),
    verified: isSenderVerified(email.headers['authentication-results'] ?? [], options.trustedAuthservId, fromAddress),
  };
  const inbound = inboundMessageSchema.safeParse({
    schemaVersion: 1,
    eventId: deterministicId('inbound', 'email', providerMessageId),
    channel: 'email',
    provider: 'smtp',
    providerMessageId,
    contact,
    contactKey: contactKeyOf(contact),
    text: stripQuotedReply(bodyText(email)).slice(0, MAX_TEXT_LENGTH),
    ...(email.subject ? { subject: email.subject.slice(0, 1000) } : {}),
    receivedAt: options.receivedAt.toISOString(),
    ...(thread.ticketToken || thread.replyTo ? { thread } : {}),
    attachments: email.attachments.slice(0, 50).map((a) => ({
      ...(a.name ? { name: a.name.slice(0, 300) } : {}),
      contentType: a.contentType.slice(0, 200),
      size: a.size,
    })),
    identities: [identity],
    autoSubmitted: isAutoSubmitted(email.headers),
    metadata: { to: email.recipients.join(', ').slice(0, 2000) },
  });
  // Whatever slipped past the limits above is the mail's fault: refuse it (5xx), never retry it.
  if (!inbound.success) throw new EmailRejection(`the mail cannot be represented: ${inbound.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return inbound.data;
}

/** The mail's Message-ID, or a digest of the raw bytes: either way the same mail twice is one message. */
export function messageIdOrDigest(email: Pick<ReceivedEmail, 'messageId' | 'rawDigest'>): string {
  const id = email.messageId?.trim();
  return id && id.length <= 200 ? id : `sha256:${email.rawDigest}`;
}

function bodyText(email: ReceivedEmail): string {
  if (email.text?.trim()) return email.text;
  if (email.html) return convert(email.html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
  return '';
}
