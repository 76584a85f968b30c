import { z } from 'zod';
import { InboundMessage } from '@switchboard/contracts';
import { Attachment, describeIssues, fromEpoch, socialInbound } from './social-webhook';

const updateSchema = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

const fileSize = z.number().int().nonnegative().optional();
const messageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int().nonnegative(),
  chat: z.object({ id: z.number().int(), type: z.string().max(40), title: z.string().optional() }),
  from: z.object({ id: z.number().int(), is_bot: z.boolean(), first_name: z.string(), last_name: z.string().optional(), username: z.string().optional(), language_code: z.string().optional() }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(z.object({ file_id: z.string().max(300), width: z.number(), height: z.number(), file_size: fileSize })).max(20).optional(),
  document: z.object({ file_id: z.string().max(300), file_name: z.string().max(300).optional(), mime_type: z.string().max(200).optional(), file_size: fileSize }).optional(),
  reply_to_message: z.object({ message_id: z.number().int() }).passthrough().optional(),
});

/** `bad`: not a Telegram update (400); `ignored`: an update kind or message we do not turn into a ticket (200). */
export type TelegramParse = { kind: 'bad'; problems: string[] } | { kind: 'ignored'; reason: string } | { kind: 'message'; message: InboundMessage };

/** One update per webhook call; only `message` becomes an inbound message, other kinds are acknowledged and dropped. */
export function parseTelegramUpdate(body: unknown): TelegramParse {
  const update = updateSchema.safeParse(body);
  if (!update.success) return { kind: 'bad', problems: update.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  if (update.data.message === undefined) {
    const kinds = Object.keys(update.data).filter((k) => k !== 'update_id');
    return { kind: 'ignored', reason: `update kind ${kinds.join(',') || '(none)'} is not handled` };
  }
  const parsed = messageSchema.safeParse(update.data.message);
  if (!parsed.success) return { kind: 'ignored', reason: `malformed message: ${describeIssues(parsed.error.issues)}` };
  const m = parsed.data;
  if (m.from?.is_bot) return { kind: 'ignored', reason: 'message from a bot' };
  const attachments: Attachment[] = [];
  const metadata: Record<string, string> = { chatType: m.chat.type };
  const photo = m.photo?.reduce((best, size) => (size.width * size.height > best.width * best.height ? size : best));
  if (photo) {
    metadata[`attachment.${attachments.length}.fileId`] = photo.file_id;
    attachments.push({ contentType: 'image/jpeg', ...(photo.file_size !== undefined ? { size: photo.file_size } : {}) });
  }
  if (m.document) {
    metadata[`attachment.${attachments.length}.fileId`] = m.document.file_id;
    attachments.push({
      contentType: m.document.mime_type ?? 'application/octet-stream',
      ...(m.document.file_name ? { name: m.document.file_name } : {}),
      ...(m.document.file_size !== undefined ? { size: m.document.file_size } : {}),
    });
  }
  const text = m.text ?? m.caption;
  if (text === undefined && attachments.length === 0) return { kind: 'ignored', reason: 'message has neither text, caption, photo nor document' };
  if (m.from?.language_code) metadata.languageCode = m.from.language_code.slice(0, 35);
  if (m.reply_to_message) metadata.inReplyTo = String(m.reply_to_message.message_id);
  const name = m.from ? [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username : m.chat.title;
  return {
    kind: 'message',
    message: socialInbound({
      provider: 'telegram',
      // message_id counts per chat, so the chat is part of the id.
      providerMessageId: `${m.chat.id}:${m.message_id}`,
      address: String(m.chat.id),
      displayName: name,
      text: text ?? '',
      receivedAt: fromEpoch(m.date, 's'),
      attachments,
      metadata,
    }),
  };
}
