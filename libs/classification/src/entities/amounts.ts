import type { Language } from '@switchboard/contracts';

export interface Amount {
  value: number;
  currency: string;
  text: string;
}

/**
 * Money amounts with an explicit currency or a unit that implies one:
 *   Rp150.000  Rp 1.500.000,50  IDR 75,000  75.000 rupiah  150rb  150 ribu  1,5jt  2 juta  500k
 *   ¥200  ￥200  200元  500块  RMB 200  CNY 88.50  人民币200  3千元  2万
 *   $12.50  USD 12.50  12.50 USD  S$20  €5  £5  RM50
 * A bare number is never an amount (it may be an id, a phone number or a count).
 * Separators: "." and "," are thousands separators when followed by groups of exactly three
 * digits (Indonesian "150.000", English "75,000"), otherwise the decimal mark ("1,5jt", "$12.50").
 * "k"/"rb"/"jt" without a symbol are Indonesian rupiah, the wallet's home currency; "k" in a
 * Chinese message is yuan.
 */

const NUM = String.raw`\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const SYMBOL_BEFORE = String.raw`(?:rp\.?|idr|usd|us\$|s\$|sgd|\$|€|eur|£|gbp|¥|￥|rmb|cny|人民币|rm|myr)`;
const UNIT_AFTER = String.raw`(?:rupiah|idr|rp|usd|dollars?|sgd|eur|euros?|rmb|cny|yuan|元|块钱|块|圆|美元|美金|rb|ribu|rban|k|jt|juta|m(?:io|illion)?|千元|千块|千|万元|万块|万|w)`;

// A number preceded by a currency symbol/code, optionally followed by a multiplier.
const BEFORE_RE = new RegExp(String.raw`(?<![A-Za-z\d])(${SYMBOL_BEFORE})\s?(${NUM})(?:\s?(rb|ribu|k|jt|juta|million|mio|m|千|万))?(?![A-Za-z\d])`, 'giu');
// A number followed by a currency word or multiplier unit.
const AFTER_RE = new RegExp(String.raw`(?<![A-Za-z\d.,])(${NUM})\s?(${UNIT_AFTER})(?![a-z\d])`, 'giu');

const SYMBOL_CURRENCY: Record<string, string> = {
  rp: 'IDR', 'rp.': 'IDR', idr: 'IDR', usd: 'USD', 'us$': 'USD', $: 'USD', 's$': 'SGD', sgd: 'SGD', '€': 'EUR', eur: 'EUR',
  '£': 'GBP', gbp: 'GBP', '¥': 'CNY', '￥': 'CNY', rmb: 'CNY', cny: 'CNY', 人民币: 'CNY', rm: 'MYR', myr: 'MYR',
};

const MULTIPLIER: Record<string, number> = {
  rb: 1e3, ribu: 1e3, rban: 1e3, k: 1e3, jt: 1e6, juta: 1e6, m: 1e6, mio: 1e6, million: 1e6, 千: 1e3, 千元: 1e3, 千块: 1e3,
  万: 1e4, 万元: 1e4, 万块: 1e4, w: 1e4,
};

const UNIT_CURRENCY: Record<string, string | undefined> = {
  rupiah: 'IDR', idr: 'IDR', rp: 'IDR', usd: 'USD', dollar: 'USD', dollars: 'USD', sgd: 'SGD', eur: 'EUR', euro: 'EUR', euros: 'EUR',
  rmb: 'CNY', cny: 'CNY', yuan: 'CNY', 元: 'CNY', 块钱: 'CNY', 块: 'CNY', 圆: 'CNY', 美元: 'USD', 美金: 'USD',
  rb: 'IDR', ribu: 'IDR', rban: 'IDR', jt: 'IDR', juta: 'IDR', 千元: 'CNY', 千块: 'CNY', 千: 'CNY', 万元: 'CNY', 万块: 'CNY', 万: 'CNY', w: 'CNY',
};

/** Parses "150.000", "75,000", "1,5", "12.50", "1.500.000,50", "75,000.00". */
export function parseNumber(s: string): number {
  const seps = s.match(/[.,]/g) ?? [];
  if (seps.length === 0) return Number(s);
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  const tail = s.length - last - 1;
  if (new Set(seps).size === 2) return Number(s.slice(0, last).replace(/[.,]/g, '') + '.' + s.slice(last + 1));
  if (seps.length > 1 || tail === 3) return Number(s.replace(/[.,]/g, ''));
  return Number(s.replace(',', '.'));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function extractAmounts(text: string, language: Language): Amount[] {
  if (!/[\d元块]/.test(text)) return [];
  const found: { start: number; end: number; amount: Amount }[] = [];
  const overlaps = (a: number, b: number): boolean => found.some((f) => a < f.end && b > f.start);

  for (const m of text.matchAll(BEFORE_RE)) {
    const [whole, sym = '', num = '', mult] = m;
    const currency = SYMBOL_CURRENCY[sym.toLowerCase()];
    if (!currency) continue;
    let value = parseNumber(num);
    if (mult) {
      const f = MULTIPLIER[mult.toLowerCase()];
      // "$2m" is two million; "Rp 2 m" likewise.
      if (f) value *= f;
    }
    if (!Number.isFinite(value)) continue;
    const start = m.index ?? 0;
    found.push({ start, end: start + whole.length, amount: { value: round2(value), currency, text: whole.trim() } });
  }

  for (const m of text.matchAll(AFTER_RE)) {
    const [whole, num = '', unit0 = ''] = m;
    const start = m.index ?? 0;
    if (overlaps(start, start + whole.length)) continue;
    const unit = unit0.toLowerCase();
    // "2x", "3m" (metres? minutes?) are not money: "m" needs a decimal or a currency nearby.
    if ((unit === 'm' || unit === 'w') && !/[.,]/.test(num) && !/(?:rp|idr|rupiah|\$|元|¥)/i.test(text)) continue;
    if (unit === 'k' && /^\d{5,}$/.test(num)) continue; // "10000k" is not how anyone writes money
    let value = parseNumber(num);
    const f = MULTIPLIER[unit];
    if (f) value *= f;
    let currency = UNIT_CURRENCY[unit];
    if (unit === 'k' || unit === 'm' || unit === 'million' || unit === 'mio') currency = language === 'zh' ? 'CNY' : /\$|usd/i.test(text) ? 'USD' : 'IDR';
    if (!currency || !Number.isFinite(value)) continue;
    found.push({ start, end: start + whole.length, amount: { value: round2(value), currency, text: whole.trim() } });
  }

  // Chinese numerals with 元/块: 五百元, 两千块, 三十块钱.
  for (const m of text.matchAll(/([零〇一二两三四五六七八九十百千万]{1,8})(元|块钱|块)/gu)) {
    const start = m.index ?? 0;
    const whole = m[0];
    if (overlaps(start, start + whole.length)) continue;
    const value = chineseNumber(m[1] ?? '');
    if (value > 0) found.push({ start, end: start + whole.length, amount: { value, currency: 'CNY', text: whole } });
  }

  return found.sort((a, b) => a.start - b.start).map((f) => f.amount);
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** "两千五百" -> 2500, "十五" -> 15, "三" -> 3. */
export function chineseNumber(s: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch] as number;
    else if (ch === '万') {
      section = (section + digit) * 10000;
      total += section;
      section = 0;
      digit = 0;
    } else if (ch in CN_UNIT) {
      section += (digit || 1) * (CN_UNIT[ch] as number);
      digit = 0;
    }
  }
  return total + section + digit;
}
