import { z } from 'zod';
import { attachmentSchema, contactKeyOf, deterministicId, Identity, InboundMessage, MAX_TEXT_LENGTH } from '@switchboard/contracts';

export type Attachment = z.infer<typeof attachmentSchema>;

export const SOCIAL_PROVIDERS = ['whatsapp', 'messenger', 'instagram', 'telegram'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];
export type MetaProvider = Exclude<SocialProvider, 'telegram'>;

/** What a provider told us about a message we sent; `read` counts as `delivered` (reading implies it arrived). */
export interface ProviderStatusUpdate {
  provider: SocialProvider;
  status: 'sent' | 'delivered' | 'failed';
  /**
   * Either one message by its provider id, or (Messenger's watermark receipts) everything sent to
   * `recipient` up to `sentUpTo`.
   */
  target: { providerMessageId: string } | { recipient: string; sentUpTo: Date };
  at: Date;
  error?: { code?: string; message: string };
}

/** One webhook delivery: Meta batches many messages and statuses in one POST. */
export interface WebhookBatch {
  messages: InboundMessage[];
  statuses: ProviderStatusUpdate[];
  /** Items that did not parse, by where they were: logged and dropped; the rest of the batch still counts. */
  skipped: { path: string; reason: string }[];
}

/** `ok: false` means the body is not this provider's webhook at all (answered 400). */
export type WebhookParse = { ok: true; batch: WebhookBatch } | { ok: false; problems: string[] };

export interface SocialInboundParts {
  provider: SocialProvider;
  providerMessageId: string;
  address: string;
  displayName?: string;
  text: string;
  receivedAt: Date;
  attachments?: Attachment[];
  identities?: Identity[];
  metadata?: Record<string, string>;
}

/** One shape for every social provider; the event id depends only on the provider's message id, so a redelivery is one message. */
export function socialInbound(parts: SocialInboundParts): InboundMessage {
  const contact = {
    channel: 'social' as const,
    provider: parts.provider,
    address: parts.address,
    ...(parts.displayName ? { displayName: parts.displayName.slice(0, 200) } : {}),
  };
  return {
    schemaVersion: 1,
    eventId: deterministicId('inbound', parts.provider, parts.providerMessageId),
    channel: 'social',
    provider: parts.provider,
    providerMessageId: parts.providerMessageId,
    contact,
    contactKey: contactKeyOf(contact),
    text: parts.text.slice(0, MAX_TEXT_LENGTH),
    receivedAt: parts.receivedAt.toISOString(),
    attachments: parts.attachments ?? [],
    identities: parts.identities ?? [],
    autoSubmitted: false,
    metadata: parts.metadata ?? {},
  };
}

export function describeIssues(issues: { path: (string | number)[]; message: string }[]): string {
  return issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
}

/** Provider timestamps: seconds (WhatsApp, Telegram) or milliseconds (Messenger) since the epoch. */
export function fromEpoch(value: number, unit: 's' | 'ms'): Date {
  return new Date(unit === 's' ? value * 1000 : value);
}
