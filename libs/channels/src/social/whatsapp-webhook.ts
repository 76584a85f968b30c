import { z } from 'zod';
import { Attachment, describeIssues, fromEpoch, ProviderStatusUpdate, socialInbound, WebhookBatch, WebhookParse } from './social-webhook';

// Provider payloads are parsed leniently (Meta adds fields without notice); only what we use is checked.
const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.object({
        id: z.string(),
        changes: z.array(z.object({ field: z.string(), value: z.object({}).passthrough() })).max(1_000),
      }),
    )
    .max(1_000),
});

const waId = z.string().regex(/^\d{6,15}$/, 'expected the customer phone number in digits');
const epochSeconds = z.string().regex(/^\d{1,12}$/).transform(Number);

const mediaSchema = z.object({
  id: z.string().min(1).max(200),
  mime_type: z.string().min(1).max(200),
  caption: z.string().optional(),
  filename: z.string().max(300).optional(),
});
const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

const messageSchema = z.object({
  from: waId,
  id: z.string().min(1).max(200),
  timestamp: epochSeconds,
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  button: z.object({ text: z.string() }).optional(),
  interactive: z
    .object({ button_reply: z.object({ title: z.string() }).optional(), list_reply: z.object({ title: z.string() }).optional() })
    .optional(),
  context: z.object({ id: z.string().max(200) }).optional(),
});

const statusSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: epochSeconds,
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().int(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

const contactsSchema = z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).partial().optional() }));

/**
 * WhatsApp Cloud API webhook (`object: whatsapp_business_account`): `entry[].changes[].value` holds
 * customer `messages[]` (with `contacts[]` naming them) and `statuses[]` of what we sent.
 */
export function parseWhatsappWebhook(body: unknown): WebhookParse {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, problems: envelope.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  const batch: WebhookBatch = { messages: [], statuses: [], skipped: [] };
  envelope.data.entry.forEach((entry, e) =>
    entry.changes.forEach((change, c) => {
      const at = `entry.${e}.changes.${c}.value`;
      if (change.field !== 'messages') return batch.skipped.push({ path: at, reason: `field ${change.field} is not handled` });
      const value = change.value as Record<string, unknown>;
      const names = contactNames(value.contacts);
      for (const [i, raw] of listAt(value, 'messages', at, batch).entries()) {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) batch.skipped.push({ path: `${at}.messages.${i}`, reason: describeIssues(parsed.error.issues) });
        else {
          const message = normaliseMessage(parsed.data, names.get(parsed.data.from));
          if (typeof message === 'string') batch.skipped.push({ path: `${at}.messages.${i}`, reason: message });
          else batch.messages.push(message);
        }
      }
      for (const [i, raw] of listAt(value, 'statuses', at, batch).entries()) {
        const parsed = statusSchema.safeParse(raw);
        if (!parsed.success) batch.skipped.push({ path: `${at}.statuses.${i}`, reason: describeIssues(parsed.error.issues) });
        else batch.statuses.push(normaliseStatus(parsed.data));
      }
    }),
  );
  return { ok: true, batch };
}

function listAt(value: Record<string, unknown>, key: string, at: string, batch: WebhookBatch): unknown[] {
  const list = value[key];
  if (list === undefined) return [];
  if (Array.isArray(list)) return list;
  batch.skipped.push({ path: `${at}.${key}`, reason: 'expected an array' });
  return [];
}

function contactNames(raw: unknown): Map<string, string> {
  const parsed = contactsSchema.safeParse(raw);
  const names = new Map<string, string>();
  if (parsed.success) for (const c of parsed.data) if (c.profile?.name) names.set(c.wa_id, c.profile.name);
  return names;
}

function normaliseMessage(message: z.infer<typeof messageSchema>, displayName: string | undefined) {
  const attachments: Attachment[] = [];
  const metadata: Record<string, string> = {};
  let text = message.text?.body ?? message.button?.text ?? message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title;
  for (const type of MEDIA_TYPES) {
    const media = message[type];
    if (!media) continue;
    // The media itself is fetched later through the Graph API by its id (GET /{media-id}); we pass the id on.
    metadata[`attachment.${attachments.length}.mediaId`] = media.id;
    attachments.push({ contentType: media.mime_type, ...(media.filename ? { name: media.filename } : {}) });
    text ??= media.caption;
  }
  if (text === undefined && attachments.length === 0) return `message type ${message.type} is not handled`;
  if (message.context) metadata.inReplyTo = message.context.id;
  return socialInbound({
    provider: 'whatsapp',
    providerMessageId: message.id,
    address: message.from,
    displayName,
    text: text ?? '',
    receivedAt: fromEpoch(message.timestamp, 's'),
    attachments,
    // The wa_id is the customer's phone number, proven by WhatsApp's own registration.
    identities: [{ kind: 'phone', value: `+${message.from}`, verified: true }],
    metadata,
  });
}

function normaliseStatus(status: z.infer<typeof statusSchema>): ProviderStatusUpdate {
  const error = status.errors?.[0];
  return {
    provider: 'whatsapp',
    status: status.status === 'read' ? 'delivered' : status.status,
    target: { providerMessageId: status.id },
    at: fromEpoch(status.timestamp, 's'),
    ...(status.status === 'failed'
      ? { error: { ...(error ? { code: String(error.code) } : {}), message: (error?.message ?? error?.title ?? 'failed').slice(0, 2000) } }
      : {}),
  };
}
