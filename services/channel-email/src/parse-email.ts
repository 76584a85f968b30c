import { createHash } from 'node:crypto';
import { AddressObject, simpleParser } from 'mailparser';
import { addressOf, ReceivedEmail } from '@switchboard/channels';

/**
 * Raw RFC 5322 bytes to the plain shape the channel library decides on. mailparser decodes
 * transfer encodings and charsets (GBK, Big5, ISO-8859-1… through iconv-lite).
 */
export async function parseEmail(raw: Buffer, envelopeRecipients: readonly string[]): Promise<ReceivedEmail> {
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, maxHtmlLengthToParse: 2 * 1024 * 1024 });
  const headers: Record<string, string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[key.toLowerCase()] ??= []).push(value);
  }
  const from = parsed.from?.value.find((mailbox) => mailbox.address);
  const headerRecipients = [parsed.to, parsed.cc]
    .flatMap((field) => (Array.isArray(field) ? field : field ? [field] : []))
    .flatMap((field: AddressObject) => field.value.map((mailbox) => mailbox.address ?? ''));
  const recipients = [...new Set([...envelopeRecipients, ...headerRecipients].map((a) => addressOf(a)).filter((a): a is string => !!a))];
  return {
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(from?.address ? { from: { address: from.address, ...(from.name ? { name: from.name } : {}) } } : {}),
    ...(parsed.subject ? { subject: parsed.subject } : {}),
    ...(parsed.text ? { text: parsed.text } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    headers,
    recipients,
    attachments: parsed.attachments.map((a) => ({ ...(a.filename ? { name: a.filename } : {}), contentType: a.contentType, size: a.size })),
    rawDigest: createHash('sha256').update(raw).digest('hex'),
  };
}
