/**
 * Only what the customer wrote this time: mail clients append the whole conversation (quoted with
 * `>`, or below an attribution line or an Outlook header block) and a signature, and a classifier
 * that reads the history answers last week's problem instead of today's.
 */

// "On Tue, 3 Nov 2026 at 10:02, Sari <sari@example.com> wrote:" - Gmail wraps it over two lines.
const ATTRIBUTION_ENDINGS = [/\bwrote:\s*$/i, /\bmenulis:\s*$/i, /写道[:：]\s*$/];
const ATTRIBUTION_STARTS = [/^On\s/i, /^Pada\s/i, /^在/];

const ORIGINAL_MESSAGE = /^-{2,}\s*(Original Message|Pesan Asli|Pesan Asal|原始邮件|原始郵件|Forwarded message|Pesan yang diteruskan)\s*-{2,}\s*$/i;

// Outlook's block: "From: …" then, within a few lines, "Sent: …" / "Date: …" (en, id, zh).
const HEADER_FROM = /^\*?(From|Dari|发件人|寄件者)\s*\*?\s*[:：]/i;
const HEADER_SENT = /^\*?(Sent|Date|Dikirim|Tanggal|发送时间|日期|寄件日期)\s*\*?\s*[:：]/i;

const SIGNATURE_SEPARATOR = /^--\s?$/;
const MOBILE_SIGNATURE = [
  /^Sent from my [\w .-]{1,40}$/i,
  /^Sent from (Mail|Outlook|Yahoo Mail|Gmail)\b[\w .-]{0,40}$/i,
  /^Get Outlook for [\w .-]{1,30}$/i,
  /^Dikirim dari [\w .-]{1,40}$/i,
  /^发自我的\s*[\w .-]{1,30}$/,
  /^从我的\s*[\w .-]{1,30}\s*发送$/,
];
// Outlook (and html-to-text rendering Outlook's <hr>) rules off the history above its header block.
const OUTLOOK_RULE = /^[-_]{10,}\s*$/;

export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = cutIndex(lines);
  const kept = lines
    .slice(0, cut)
    .filter((line) => !/^\s*>/.test(line))
    .map((line) => line.replace(/\s+$/, ''));
  const result = trimBlankLines(kept).join('\n');
  // A message that is nothing but history (a bare forward, a client that quotes below nothing)
  // still says something; better the whole text than an empty one.
  return result || text.trim();
}

/** The first line that starts history or a signature; everything from it on goes. */
function cutIndex(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    if (isCutLine(lines[i].trim(), lines, i)) return i;
  }
  return lines.length;
}

function isCutLine(line: string, lines: string[], i: number): boolean {
  if (isHistoryStart(line, lines, i)) return true;
  // "Sent from my phone, the transfer failed" is a sentence; the signature ends what was written.
  return MOBILE_SIGNATURE.some((p) => p.test(line)) && onlyHistoryAfter(lines, i + 1);
}

function isHistoryStart(line: string, lines: string[], i: number): boolean {
  if (ORIGINAL_MESSAGE.test(line) || SIGNATURE_SEPARATOR.test(lines[i])) return true;
  if (isAttribution(line, lines[i + 1])) return true;
  if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 5).some((next) => HEADER_SENT.test(next.trim()))) return true;
  return OUTLOOK_RULE.test(line) && HEADER_FROM.test(lines.slice(i + 1).find((next) => next.trim())?.trim() ?? '');
}

function onlyHistoryAfter(lines: string[], from: number): boolean {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('>')) continue;
    return isHistoryStart(line, lines, i);
  }
  return true;
}

function isAttribution(line: string, next: string | undefined): boolean {
  if (!ATTRIBUTION_STARTS.some((p) => p.test(line))) return false;
  if (ATTRIBUTION_ENDINGS.some((p) => p.test(line))) return true;
  // Wrapped attribution: the ending is on the next line and the line after it is quoted.
  const wrapped = `${line} ${(next ?? '').trim()}`;
  return line.length < 200 && ATTRIBUTION_ENDINGS.some((p) => p.test(wrapped)) && (next ?? '').trim().length < 120;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start].trim()) start++;
  while (end > start && !lines[end - 1].trim()) end--;
  return lines.slice(start, end);
}
