import { z } from 'zod';
import { contactKeyOf, deterministicId, InboundMessage, MAX_TEXT_LENGTH } from '@switchboard/contracts';
import { IdentityClaims } from './identity-token';

/** Longest in-app message we accept; a chat box is not a document upload. */
export const MAX_INAPP_TEXT = 10_000;

/** The body of `POST /v1/messages`. Unknown fields are refused so client bugs surface early. */
export const inappMessageRequestSchema = z
  .object({
    text: z.string().trim().min(1, 'text is empty').max(Math.min(MAX_INAPP_TEXT, MAX_TEXT_LENGTH)),
    /** The app's own id for the message: a retried POST with the same id is one message. */
    clientMessageId: z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/).optional(),
    locale: z.string().max(35).optional(),
    appVersion: z.string().max(50).optional(),
  })
  .strict();
export type InappMessageRequest = z.infer<typeof inappMessageRequestSchema>;

export function normaliseInappMessage(
  request: InappMessageRequest,
  identity: IdentityClaims,
  receivedAt: Date,
  newId: () => string,
): InboundMessage {
  const contact = { channel: 'inapp' as const, address: identity.sub, ...(identity.name ? { displayName: identity.name } : {}) };
  const providerMessageId = request.clientMessageId ?? newId();
  const metadata: Record<string, string> = {};
  if (request.locale) metadata.locale = request.locale;
  if (request.appVersion) metadata.appVersion = request.appVersion;
  return {
    schemaVersion: 1,
    eventId: deterministicId('inbound', 'inapp', identity.sub, providerMessageId),
    channel: 'inapp',
    provider: 'inapp',
    providerMessageId,
    contact,
    contactKey: contactKeyOf(contact),
    text: request.text,
    receivedAt: receivedAt.toISOString(),
    attachments: [],
    identities: [
      ...(identity.phone ? [{ kind: 'phone' as const, value: identity.phone, verified: true }] : []),
      ...(identity.email ? [{ kind: 'email' as const, value: identity.email.toLowerCase(), verified: true }] : []),
    ],
    autoSubmitted: false,
    metadata,
  };
}
