/**
 * Turning a raw message (an email with HTML, quoted history and signature, or a chat line)
 * into the text that carries the customer's request.
 */

const MAX_CHARS = 4000;

const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", hellip: '…', ndash: '–', mdash: '—',
  rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', yen: '¥', euro: '€', pound: '£',
};

export function looksLikeHtml(text: string): boolean {
  return /<(?:html|body|div|p|br|span|table|td|a|b|i|strong|em|font|blockquote|head|meta)\b[^>]*>/i.test(text);
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<blockquote\b[^>]*>[\s\S]*?<\/blockquote\s*>/gi, '\n') // quoted history in HTML mail
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(?:br|\/p|\/div|\/tr|\/li|\/h[1-6])\b[^>]*>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z0-9]{2,8});/gi, (m, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16), m);
      if (lower.startsWith('#') && lower !== '#39') return safeCodePoint(parseInt(lower.slice(1), 10), m);
      return ENTITIES[lower] ?? m;
    });
}

function safeCodePoint(cp: number, fallback: string): string {
  return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

// A line that starts quoted history: everything from it on is the previous conversation.
const QUOTE_HEADER = new RegExp(
  [
    '^\\s*on\\b.{0,200}\\bwrote:?\\s*$',
    '^\\s*pada\\b.{0,200}\\bmenulis:?\\s*$',
    '^\\s*在.{0,200}写道[:：]?\\s*$',
    '^\\s*-{2,}\\s*(?:original message|forwarded message|pesan asli|pesan terusan|原始邮件|转发的邮件)\\s*-{2,}\\s*$',
    '^\\s*(?:from|dari|发件人)\\s*[:：].{0,200}$',
    '^\\s*_{8,}\\s*$',
  ].join('|'),
  'i',
);

// A line that starts a signature or the closing of an email.
const SIGNATURE_START = new RegExp(
  [
    '^--\\s*$',
    '^\\s*(?:sent from my|sent from|dikirim dari|kirim dari|从我的|发自我的)\\b.{0,60}$',
    '^\\s*(?:best regards|kind regards|warm regards|regards|best|cheers|sincerely|thanks(?: and regards)?|thank you|salam|hormat saya|hormat kami|wassalam|terima ?kasih|makasih|此致|敬礼|谢谢|祝好)[\\s,.!]*$',
  ].join('|'),
  'i',
);

export interface CleanedText {
  /** Text the model reads: subject and body without quoted history, signature or markup. */
  text: string;
  /** Whether quoted history, a signature or HTML markup was removed. */
  stripped: string[];
}

export function cleanMessage(body: string, subject?: string): CleanedText {
  const stripped: string[] = [];
  let text = body ?? '';
  if (text.length > MAX_CHARS * 8) text = text.slice(0, MAX_CHARS * 8);
  // Fast path for a one-line chat message or SMS: nothing to strip.
  if (!subject && text.length <= MAX_CHARS && !/[\n\r<>&]/.test(text)) {
    return { text: /\s{2}|[\t\u00a0]/.test(text) ? text.replace(/[ \t\u00a0]+/g, ' ').trim() : text.trim(), stripped };
  }
  if (looksLikeHtml(text)) {
    text = htmlToText(text);
    stripped.push('html');
  }
  text = text.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const kept: string[] = [];
  let contentLines = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*>/.test(line)) {
      if (!stripped.includes('quoted')) stripped.push('quoted');
      continue;
    }
    if (contentLines > 0 && QUOTE_HEADER.test(line)) {
      stripped.push('quoted');
      break;
    }
    // A closing line ends the message when little follows it (name, title, phone).
    if (contentLines > 0 && SIGNATURE_START.test(line) && lines.length - i <= 8) {
      stripped.push('signature');
      break;
    }
    if (line.trim()) contentLines++;
    kept.push(line);
  }
  text = kept.join('\n').replace(/[ \t\u00a0]+/g, ' ').replace(/\n{2,}/g, '\n').trim();
  const subj = (subject ?? '').replace(/^\s*(?:(?:re|fw|fwd|aw|balas|回复|转发)\s*[:：]\s*)+/i, '').trim();
  if (subj && !text.toLowerCase().includes(subj.toLowerCase())) text = subj + '\n' + text;
  if (text.length > MAX_CHARS) text = text.slice(0, MAX_CHARS);
  return { text, stripped };
}
