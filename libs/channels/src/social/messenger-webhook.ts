import { z } from 'zod';
import { Attachment, describeIssues, fromEpoch, MetaProvider, socialInbound, WebhookBatch, WebhookParse } from './social-webhook';

const OBJECT_OF = { messenger: 'page', instagram: 'instagram' } as const;

const envelopeSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(z.object({ id: z.string(), messaging: z.array(z.unknown()).max(1_000).optional() })).max(1_000),
});

const psid = z.string().min(1).max(100);

const messagingSchema = z.object({
  sender: z.object({ id: psid }),
  recipient: z.object({ id: z.string().min(1).max(100) }),
  timestamp: z.number().int().nonnegative(),
  message: z
    .object({
      mid: z.string().min(1).max(200),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      reply_to: z.object({ mid: z.string().max(200) }).partial().optional(),
      attachments: z.array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).passthrough().nullable().optional() })).max(50).optional(),
    })
    .optional(),
  delivery: z.object({ mids: z.array(z.string().min(1).max(200)).optional(), watermark: z.number().int() }).optional(),
  read: z.object({ watermark: z.number().int().optional(), mid: z.string().min(1).max(200).optional() }).optional(),
});
type Messaging = z.infer<typeof messagingSchema>;

const CONTENT_TYPES: Record<string, string> = { image: 'image/*', video: 'video/*', audio: 'audio/*', file: 'application/octet-stream' };

/**
 * Messenger (`object: page`) and Instagram (`object: instagram`) webhooks share a shape:
 * `entry[].messaging[]` with a `message`, a `delivery` (mids) or a `read` (watermark, or mid on Instagram).
 */
export function parseMessengerWebhook(provider: Exclude<MetaProvider, 'whatsapp'>, body: unknown): WebhookParse {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, problems: envelope.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  if (envelope.data.object !== OBJECT_OF[provider]) return { ok: false, problems: [`object: expected "${OBJECT_OF[provider]}" for ${provider}`] };
  const batch: WebhookBatch = { messages: [], statuses: [], skipped: [] };
  envelope.data.entry.forEach((entry, e) =>
    (entry.messaging ?? []).forEach((raw, m) => {
      const path = `entry.${e}.messaging.${m}`;
      const parsed = messagingSchema.safeParse(raw);
      if (!parsed.success) return batch.skipped.push({ path, reason: describeIssues(parsed.error.issues) });
      const skipped = collect(provider, parsed.data, batch);
      if (skipped) batch.skipped.push({ path, reason: skipped });
    }),
  );
  return { ok: true, batch };
}

/** Adds what the item says to the batch; returns why it was skipped, if it was. */
function collect(provider: Exclude<MetaProvider, 'whatsapp'>, item: Messaging, batch: WebhookBatch): string | undefined {
  const at = fromEpoch(item.timestamp, 'ms');
  if (item.message) {
    // Our own replies come back as echoes; they are not the customer writing.
    if (item.message.is_echo) return undefined;
    if (item.message.is_deleted) return 'message was deleted by the customer';
    const attachments: Attachment[] = [];
    for (const a of item.message.attachments ?? []) {
      const url = z.string().url().max(2000).safeParse(a.payload?.url);
      attachments.push({ contentType: CONTENT_TYPES[a.type] ?? 'application/octet-stream', ...(url.success ? { url: url.data } : {}) });
    }
    if (item.message.text === undefined && attachments.length === 0) return 'message has neither text nor attachments';
    batch.messages.push(
      socialInbound({
        provider,
        providerMessageId: item.message.mid,
        address: item.sender.id,
        text: item.message.text ?? '',
        receivedAt: at,
        attachments,
        metadata: { pageId: item.recipient.id, ...(item.message.reply_to?.mid ? { inReplyTo: item.message.reply_to.mid } : {}) },
      }),
    );
    return undefined;
  }
  // In receipts the customer is the sender of the receipt.
  const customer = item.sender.id;
  if (item.delivery) {
    if (item.delivery.mids?.length) for (const mid of item.delivery.mids) batch.statuses.push({ provider, status: 'delivered', target: { providerMessageId: mid }, at });
    else batch.statuses.push({ provider, status: 'delivered', target: { recipient: customer, sentUpTo: fromEpoch(item.delivery.watermark, 'ms') }, at });
    return undefined;
  }
  if (item.read) {
    if (item.read.mid) batch.statuses.push({ provider, status: 'delivered', target: { providerMessageId: item.read.mid }, at });
    else if (item.read.watermark !== undefined) batch.statuses.push({ provider, status: 'delivered', target: { recipient: customer, sentUpTo: fromEpoch(item.read.watermark, 'ms') }, at });
    else return 'read receipt without watermark or mid';
    return undefined;
  }
  return 'neither message, delivery nor read';
}
