import { ticketNumberOfToken, ticketTokenOf } from '@switchboard/contracts';

/**
 * The Message-ID of a mail we send carries its ticket and notification: a reply's
 * In-Reply-To/References then leads back to the ticket, and a bounce to the notification it failed.
 */
export function ourMessageId(ticketNumber: number, notificationId: string, domain: string): string {
  return `<${ticketTokenOf(ticketNumber).toLowerCase()}.${notificationId}@${domain.toLowerCase()}>`;
}

export interface OurMessageRef {
  ticketNumber: number;
  notificationId: string;
}

const OUR_ID = /<?sb-(\d{1,12})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@([a-z0-9.-]+)>?/gi;

/** Every Message-ID of ours in `text` (a header, or a whole bounce), first occurrence first. */
export function findOurMessageIds(text: string, ourDomains: readonly string[]): OurMessageRef[] {
  const found = new Map<string, OurMessageRef>();
  for (const match of text.matchAll(OUR_ID)) {
    if (!ourDomains.includes(match[3].toLowerCase())) continue;
    const ticketNumber = Number(match[1]);
    const notificationId = match[2].toLowerCase();
    if (Number.isSafeInteger(ticketNumber) && ticketNumber > 0 && !found.has(notificationId)) found.set(notificationId, { ticketNumber, notificationId });
  }
  return [...found.values()];
}

/** `<a@b> <c@d>` (or comma separated) into `['<a@b>', '<c@d>']`. */
export function splitMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]{1,998}>/g);
  return ids ?? value.split(/[\s,]+/).filter(Boolean).map((id) => `<${id.replace(/^<|>$/g, '')}>`);
}

export interface ThreadInput {
  subject?: string;
  /** Envelope recipients and To/Cc addresses: a plus-address names the ticket. */
  recipients: readonly string[];
  inReplyTo: readonly string[];
  references: readonly string[];
}

export interface ThreadHints {
  ticketToken?: string;
  replyTo?: string[];
}

/** What points this mail at an existing ticket: our Message-ID, a subject token, a plus-address. */
export function threadHintsOf(input: ThreadInput, ourDomains: readonly string[]): ThreadHints {
  const replyTo = [...new Set([...input.inReplyTo, ...[...input.references].reverse()])].filter((id) => id.length <= 1000).slice(0, 50);
  const ticketNumber =
    findOurMessageIds(replyTo.join(' '), ourDomains)[0]?.ticketNumber ?? subjectTicketNumber(input.subject) ?? plusAddressTicketNumber(input.recipients, ourDomains);
  return {
    ...(ticketNumber ? { ticketToken: ticketTokenOf(ticketNumber) } : {}),
    ...(replyTo.length ? { replyTo } : {}),
  };
}

function subjectTicketNumber(subject: string | undefined): number | undefined {
  const bracketed = subject ? /\[\s*(sb-\d{1,12})\s*\]/i.exec(subject) : null;
  return bracketed ? ticketNumberOfToken(bracketed[1]) : undefined;
}

function plusAddressTicketNumber(recipients: readonly string[], ourDomains: readonly string[]): number | undefined {
  for (const recipient of recipients) {
    const match = /^[^@+]+\+(sb-\d{1,12})@(.+)$/i.exec(recipient.trim());
    if (match && ourDomains.includes(match[2].toLowerCase())) return ticketNumberOfToken(match[1]);
  }
  return undefined;
}
