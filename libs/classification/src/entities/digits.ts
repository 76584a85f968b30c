/**
 * Masked or partial card and phone numbers the customer gives to identify an account:
 * "card ending 4432", "number ends with 3390", "akhiran 8812", "ujung 1234", "尾号8821",
 * "**** 1234", "xxxx-4411", "0812****5678", "+62 812-xxxx-4411". Returned with the masked part
 * as "*": "*4432", "0812****5678", "+62812****4411".
 */
const ENDING = /\b(?:ending(?: in| with)?|ends?(?: in| with)?|last (?:4|four) digits?(?: (?:is|are))?|akhiran|berakhiran|ujung(?:nya)?|belakang(?:nya)?|4 digit terakhir)\s*[:：]?\s*(\d{3,6})\b|尾号(?:是|为)?\s*[:：]?\s*(\d{3,6})/gi;
// Groups of mask characters must be separated, so that a long run cannot be split ambiguously.
const MASKED = /(?<![\w*•])(\+?\d[\d\s-]{0,8})?([*xX•]{2,}(?:[\s-][*xX•]{2,}){0,6})[\s-]?(\d{2,6})\b/g;

export function extractMaskedDigits(text: string): string[] {
  if (!/\d\d/.test(text)) return [];
  const out: string[] = [];
  const add = (v: string): void => {
    if (!out.includes(v)) out.push(v);
  };
  for (const m of text.matchAll(ENDING)) add('*' + (m[1] ?? m[2] ?? ''));
  for (const m of text.matchAll(MASKED)) {
    const head = (m[1] ?? '').replace(/[\s-]/g, '');
    const stars = (m[2] ?? '').replace(/[\s-]/g, '').replace(/[xX•]/g, '*');
    add(head + stars + (m[3] ?? ''));
  }
  return out;
}
