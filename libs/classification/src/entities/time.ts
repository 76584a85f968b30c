import type { Language } from '@switchboard/contracts';
import { chineseNumber } from './amounts';

/**
 * Date and time of the incident, absolute ("12 May 2024 14:20", "tanggal 12 Juni", "6月3日",
 * "2024-05-12") or relative ("kemarin jam 3", "昨天下午", "yesterday 5pm", "2 hari lalu",
 * "三天前", "an hour ago"), resolved against the message time `receivedAt` in a time zone.
 *
 * Time zone: `timeZone` when given; otherwise Asia/Jakarta (UTC+7) for Indonesian, Asia/Shanghai
 * (UTC+8) for Chinese, and Asia/Jakarta — the wallet's home market — for English and undetermined
 * messages. The result carries the zone's offset, e.g. "2024-06-11T15:00:00+07:00".
 *
 * Rules where the text is vague:
 *  - a day without a time ("yesterday", "kemarin") resolves to the start of that day (00:00);
 *  - a part of day without a time uses a typical hour: morning/pagi/上午 09:00, noon/siang/中午
 *    12:00, afternoon/下午 15:00, sore/傍晚 16:00, evening 19:00, night/malam/晚上 20:00,
 *    small hours/凌晨/dini hari 03:00, last night/semalam/昨晚 the day before at 21:00;
 *  - an hour 1–6 with no part of day ("kemarin jam 3") is read as afternoon (15:00) unless that
 *    would lie after the message time;
 *  - a time with no day is today, or yesterday if it would lie after the message time;
 *  - a date without a year takes the year of the message, or the year before if it would lie in
 *    the future.
 * Without `receivedAt` only expressions that carry a year are resolved; the text is still returned.
 */

export interface TimeContext {
  language: Language;
  receivedAt?: Date;
  timeZone?: string;
}

export interface IncidentTime {
  /** ISO 8601 with the zone's offset, when it can be resolved. */
  iso?: string;
  text: string;
}

export const DEFAULT_TIME_ZONES: Record<Language, string> = {
  id: 'Asia/Jakarta',
  zh: 'Asia/Shanghai',
  en: 'Asia/Jakarta',
  und: 'Asia/Jakarta',
};

const FIXED_OFFSETS: Record<string, number> = {
  'Asia/Jakarta': 420, 'Asia/Pontianak': 420, 'Asia/Makassar': 480, 'Asia/Jayapura': 540, 'Asia/Shanghai': 480,
  'Asia/Hong_Kong': 480, 'Asia/Singapore': 480, 'Asia/Kuala_Lumpur': 480, 'Asia/Taipei': 480, UTC: 0, 'Etc/UTC': 0,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of a time zone from UTC in minutes at an instant. */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const fixed = FIXED_OFFSETS[timeZone];
  if (fixed !== undefined) return fixed;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const DAY_MS = 86_400_000;

interface Span {
  start: number;
  end: number;
}

interface DayExpr extends Span {
  /** Local day number (days since 1970-01-01 in the zone); undefined when unresolvable. */
  day?: number;
  /** Typical hour when no time is given. */
  defaultHour?: number;
  /** Part of day, applied to an hour given separately. */
  period?: Period;
  /** Exact instant (e.g. "2 hours ago"), overrides everything. */
  instant?: number;
}

type Period = 'am' | 'pm' | 'noon' | 'night' | 'early';

interface TimeExpr extends Span {
  hour: number;
  minute: number;
  period?: Period;
}

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, januari: 1, february: 2, feb: 2, februari: 2, pebruari: 2, march: 3, mar: 3, maret: 3, april: 4, apr: 4,
  may: 5, mei: 5, june: 6, jun: 6, juni: 6, july: 7, jul: 7, juli: 7, august: 8, aug: 8, agustus: 8, agu: 8, agt: 8, ags: 8,
  september: 9, sep: 9, sept: 9, october: 10, oct: 10, oktober: 10, okt: 10, november: 11, nov: 11, nopember: 11,
  december: 12, dec: 12, desember: 12, des: 12,
};
const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

// Monday = 0.
const WEEKDAYS: Record<string, number> = {
  monday: 0, mon: 0, senin: 0, tuesday: 1, tue: 1, tues: 1, selasa: 1, wednesday: 2, wed: 2, rabu: 2, thursday: 3, thu: 3, thurs: 3,
  kamis: 3, friday: 4, fri: 4, jumat: 4, "jum'at": 4, sabtu: 5, saturday: 5, sat: 5, sunday: 6, sun: 6, minggu: 6, ahad: 6,
};
const ZH_WEEKDAY: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6 };


function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  return /^\d+$/.test(s) ? Number(s) : chineseNumber(s);
}

function periodOf(word: string | undefined): { period?: Period; hour?: number } {
  if (!word) return {};
  const w = word.toLowerCase();
  if (/^(?:am|a\.m\.?|pagi|上午|早上|早晨|早|morning|this morning)$/.test(w)) return { period: 'am', hour: 9 };
  if (/^(?:pm|p\.m\.?|afternoon|下午|午后)$/.test(w)) return { period: 'pm', hour: 15 };
  if (/^(?:sore|傍晚)$/.test(w)) return { period: 'pm', hour: 16 };
  if (/^(?:siang|中午|noon|midday)$/.test(w)) return { period: 'noon', hour: 12 };
  if (/^(?:evening)$/.test(w)) return { period: 'night', hour: 19 };
  if (/^(?:malam|malem|mlm|night|晚上|夜里|夜间|晚|tonight)$/.test(w)) return { period: 'night', hour: 20 };
  if (/^(?:dini hari|subuh|凌晨|半夜)$/.test(w)) return { period: 'early', hour: 3 };
  return {};
}

function applyPeriod(hour: number, period: Period | undefined): number {
  switch (period) {
    case 'am':
      return hour === 12 ? 0 : hour;
    case 'pm':
      return hour < 12 ? hour + 12 : hour;
    case 'noon':
      return hour <= 5 ? hour + 12 : hour;
    case 'night':
      return hour === 12 ? 0 : hour >= 6 && hour < 12 ? hour + 12 : hour;
    case 'early':
      return hour === 12 ? 0 : hour;
    default:
      return hour;
  }
}

function localDay(ms: number, offsetMin: number): number {
  return Math.floor((ms + offsetMin * 60_000) / DAY_MS);
}

function dayFromDate(y: number, m: number, d: number): number | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return undefined;
  return Math.floor(t / DAY_MS);
}

/** Day number of a date without a year: this year, or last year if it would be in the future. */
function dayWithoutYear(m: number, d: number, refDay: number | undefined): number | undefined {
  if (refDay === undefined) return undefined;
  const y = new Date(refDay * DAY_MS).getUTCFullYear();
  const day = dayFromDate(y, m, d);
  if (day === undefined) return undefined;
  return day > refDay + 1 ? dayFromDate(y - 1, m, d) : day;
}

function weekday(day: number): number {
  return (day + 3) % 7; // 1970-01-01 was a Thursday (Monday = 0)
}

function pad(n: number, w = 2): string {
  return String(Math.abs(n)).padStart(w, '0');
}

function formatIso(instantMs: number, offsetMin: number): string {
  const local = new Date(instantMs + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:00${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`
  );
}

const EN_DAY = /\b(the day before yesterday|yesterday|today|tonight|last night|this (?:morning|afternoon|evening)|(\d{1,2}|a|an|one|two|three|four|five|six|seven) (days?|weeks?|hours?|hrs?|minutes?|mins?) ago|(?:an?|one|half an) hour ago|last week)\b/gi;
const ID_DAY = /\b(kemarin lusa|kemaren lusa|kemarin|kmrn|kemaren|kmren|kmarin|hari ini|tadi malam|tadi mlm|td malam|td mlm|semalam|semalem|smlm|(?:tadi|td)(?: (?:pagi|siang|sore|malam|mlm))?|barusan|(\d{1,2}|se|satu|dua|tiga|empat|lima) ?(hari|minggu|jam|menit) (?:yang |yg )?(?:lalu|lalu)|minggu lalu)\b/gi;
const ZH_DAY = /(大前天|前天|昨天|昨日|昨晚|今天|今日|今早|今晚|刚才|刚刚|([0-9]+|[一二两三四五六七八九十半]+)(?:个)?(天|小时|钟头|分钟|周|星期)(?:之)?前)/g;
const WEEKDAY_RE = new RegExp(
  String.raw`\b(?:(last|on|this|hari)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)(?:\s+(kemarin|lalu|kemaren))?\b`,
  'gi',
);
const ZH_WEEKDAY_RE = /(上)?(?:周|星期|礼拜)([一二三四五六日天])/g;
const DATE_DMY = new RegExp(String.raw`\b(?:(?:tanggal|tgl\.?|on)\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_RE})\.?(?:\s+(\d{4}))?\b`, 'gi');
const DATE_MDY = new RegExp(String.raw`\b(${MONTH_RE})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'gi');
const DATE_ISO = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g;
const DATE_NUM = /\b(?:(?:tanggal|tgl\.?|on)\s+)?(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?\b/gi;
const DATE_TGL = /\b(?:tanggal|tgl\.?)\s*(\d{1,2})\b(?!\s*[/-])/gi;
const ZH_DATE = /(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号號]/g;

const EN_TIME = /\b(?:at |around |about |by |@ ?)?(\d{1,2})(?:[:.](\d{2}))?\s?(am|pm|a\.m\.?|p\.m\.?)(?![a-z])|\b(?:at |around |about |approx\.? )?([01]?\d|2[0-3]):([0-5]\d)\b(?:\s?(am|pm))?/gi;
const ID_TIME = /\b(?:jam|pukul|pkl\.?)\s?(\d{1,2})(?:[.:](\d{2}))?(?:\s?(?:an|wib|wita|wit))?(?:\s+(pagi|siang|sore|malam|malem|mlm|dini hari|subuh))?\b/gi;
const ZH_TIME = /(上午|下午|晚上|早上|早晨|中午|凌晨|傍晚|夜里|半夜)?(\d{1,2}|[一二两三四五六七八九十]{1,3})[点點时](?:(\d{1,2}|[一二三四五六七八九十]{1,3})分?|(半))?/g;
const PERIOD_WORD = /\b(pagi|siang|sore|malam|malem|morning|afternoon|evening|night)\b|(上午|下午|晚上|早上|早晨|中午|凌晨|傍晚|夜里)/gi;

// Cheap test that a text may hold a date or time at all; most chat lines do not.
const MAYBE_TIME =
  /\d|yesterday|today|tonight|last night|this (?:morning|afternoon|evening)|\bago\b|last week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|kem?ar|kmr|kmarin|hari ini|tadi|\btd\b|semal|smlm|barusan|lalu|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|tanggal|tgl|[昨今前周星礼月点點时刚]/i;

export function extractIncidentTime(text: string, ctx: TimeContext): IncidentTime | undefined {
  if (!MAYBE_TIME.test(text)) return undefined;
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONES[ctx.language];
  const ref = ctx.receivedAt;
  const refMs = ref?.getTime();
  const offset = zoneOffsetMinutes(zone, ref ?? new Date(Date.UTC(2024, 0, 1)));
  const refDay = refMs === undefined ? undefined : localDay(refMs, offset);
  const rel = (n: number): number | undefined => (refDay === undefined ? undefined : refDay - n);
  const days: DayExpr[] = [];
  const times: TimeExpr[] = [];
  const taken = (s: number, e: number): boolean => days.some((d) => s < d.end && e > d.start) || times.some((t) => s < t.end && e > t.start);

  // --- days -----------------------------------------------------------------------------------
  const lower = text.toLowerCase();
  const hasDigit = /\d/.test(text);
  if (/yesterday|today|tonight|night|this |ago\b|last week/.test(lower)) for (const m of text.matchAll(EN_DAY)) {
    const s = m.index ?? 0;
    const w = (m[1] ?? '').toLowerCase();
    const d: DayExpr = { start: s, end: s + m[0].length };
    if (w === 'today') d.day = rel(0);
    else if (w === 'yesterday') d.day = rel(1);
    else if (w === 'the day before yesterday') d.day = rel(2);
    else if (w === 'tonight') Object.assign(d, { day: rel(0), period: 'night', defaultHour: 20 });
    else if (w === 'last night') Object.assign(d, { day: rel(1), period: 'night', defaultHour: 21 });
    else if (w.startsWith('this ')) Object.assign(d, { day: rel(0), ...periodOf(w.slice(5)), defaultHour: periodOf(w.slice(5)).hour });
    else if (w === 'last week') d.day = rel(7);
    else if (/hour ago$/.test(w)) d.instant = refMs === undefined ? undefined : refMs - (w.startsWith('half') ? 0.5 : 1) * 3_600_000;
    else if (m[2] && m[3]) {
      const n = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 }[m[2].toLowerCase()] ?? Number(m[2]);
      const unit = m[3].toLowerCase();
      if (unit.startsWith('day')) d.day = rel(n);
      else if (unit.startsWith('week')) d.day = rel(7 * n);
      else if (refMs !== undefined) d.instant = refMs - n * (unit.startsWith('h') ? 3_600_000 : 60_000);
    }
    days.push(d);
  }
  if (/kem|kmr|hari ini|tadi|\btd\b|sem|smlm|barusan|lalu/.test(lower)) for (const m of text.matchAll(ID_DAY)) {
    const s = m.index ?? 0;
    if (taken(s, s + m[0].length)) continue;
    const w = (m[1] ?? '').toLowerCase();
    const d: DayExpr = { start: s, end: s + m[0].length };
    if (/^kem(?:a|e)r(?:i|e)n lusa$/.test(w)) d.day = rel(2);
    else if (/^(?:kemarin|kmrn|kemaren|kmren|kmarin)$/.test(w)) d.day = rel(1);
    else if (w === 'hari ini' || w === 'barusan' || w === 'tadi' || w === 'td') d.day = rel(0);
    else if (/^(?:tadi malam|tadi mlm|td malam|td mlm|semalam|semalem|smlm)$/.test(w)) Object.assign(d, { day: rel(1), period: 'night', defaultHour: 21 });
    else if (w.startsWith('tadi ') || w.startsWith('td ')) {
      const p = periodOf(w.slice(w.indexOf(' ') + 1));
      Object.assign(d, { day: rel(0), period: p.period, defaultHour: p.hour });
    } else if (w === 'minggu lalu') d.day = rel(7);
    else if (m[2] && m[3]) {
      const n = { se: 1, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5 }[m[2].toLowerCase()] ?? Number(m[2]);
      const unit = m[3].toLowerCase();
      if (unit === 'hari') d.day = rel(n);
      else if (unit === 'minggu') d.day = rel(7 * n);
      else if (refMs !== undefined) d.instant = refMs - n * (unit === 'jam' ? 3_600_000 : 60_000);
    }
    days.push(d);
  }
  if (/[昨今前刚天时钟分周星]/.test(text)) for (const m of text.matchAll(ZH_DAY)) {
    const s = m.index ?? 0;
    const w = m[1] ?? '';
    const d: DayExpr = { start: s, end: s + m[0].length };
    if (w === '大前天') d.day = rel(3);
    else if (w === '前天') d.day = rel(2);
    else if (w === '昨天' || w === '昨日') d.day = rel(1);
    else if (w === '昨晚') Object.assign(d, { day: rel(1), period: 'night', defaultHour: 21 });
    else if (w === '今天' || w === '今日' || w === '刚才' || w === '刚刚') d.day = rel(0);
    else if (w === '今早') Object.assign(d, { day: rel(0), period: 'am', defaultHour: 9 });
    else if (w === '今晚') Object.assign(d, { day: rel(0), period: 'night', defaultHour: 20 });
    else if (m[2] && m[3]) {
      const n = m[2] === '半' ? 0.5 : num(m[2]);
      if (m[3] === '天') d.day = rel(n);
      else if (m[3] === '周' || m[3] === '星期') d.day = rel(7 * n);
      else if (refMs !== undefined) d.instant = refMs - n * (m[3] === '分钟' ? 60_000 : 3_600_000);
    }
    days.push(d);
  }
  if (/day\b|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad/.test(lower)) for (const m of text.matchAll(WEEKDAY_RE)) {
    const s = m.index ?? 0;
    const prefix = (m[1] ?? '').toLowerCase();
    const suffix = (m[3] ?? '').toLowerCase();
    const name = (m[2] ?? '').toLowerCase().replace("'", '');
    // "minggu" is also "week": only a weekday with "hari" before or "kemarin/lalu" after.
    if (name === 'minggu' && prefix !== 'hari') continue;
    if (taken(s, s + m[0].length)) continue;
    const wd = WEEKDAYS[name];
    if (wd === undefined) continue;
    let day: number | undefined;
    if (refDay !== undefined) {
      const back = (weekday(refDay) - wd + 7) % 7;
      day = refDay - (back === 0 && (prefix === 'last' || suffix) ? 7 : back);
    }
    days.push({ start: s, end: s + m[0].length, day });
  }
  if (/[周星礼]/.test(text)) for (const m of text.matchAll(ZH_WEEKDAY_RE)) {
    const s = m.index ?? 0;
    const wd = ZH_WEEKDAY[m[2] ?? ''] as number;
    let day: number | undefined;
    if (refDay !== undefined) {
      if (m[1]) day = refDay - weekday(refDay) - 7 + wd;
      else day = refDay - ((weekday(refDay) - wd + 7) % 7);
    }
    days.push({ start: s, end: s + m[0].length, day });
  }
  const pushDate = (s: number, len: number, y: number | undefined, mo: number, d: number): void => {
    if (taken(s, s + len)) return;
    const day = y !== undefined ? dayFromDate(y, mo, d) : dayWithoutYear(mo, d, refDay);
    if (y === undefined && refDay !== undefined && day === undefined) return;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return;
    days.push({ start: s, end: s + len, day });
  };
  if (hasDigit) for (const m of text.matchAll(DATE_ISO)) pushDate(m.index ?? 0, m[0].length, Number(m[1]), Number(m[2]), Number(m[3]));
  if (text.includes('月')) for (const m of text.matchAll(ZH_DATE)) pushDate(m.index ?? 0, m[0].length, m[1] ? Number(m[1]) : undefined, num(m[2]), num(m[3]));
  if (hasDigit) for (const m of text.matchAll(DATE_DMY)) {
    const mo = MONTHS[(m[2] ?? '').toLowerCase()] as number;
    // "may" and "mar" etc. are words too: the day number before them makes them dates.
    pushDate(m.index ?? 0, m[0].length, m[3] ? Number(m[3]) : undefined, mo, Number(m[1]));
  }
  if (hasDigit) for (const m of text.matchAll(DATE_MDY)) {
    const word = (m[1] ?? '').toLowerCase();
    if (word === 'may' && !/^may\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?$/i.test(m[0])) continue;
    pushDate(m.index ?? 0, m[0].length, m[3] ? Number(m[3]) : undefined, MONTHS[word] as number, Number(m[2]));
  }
  if (hasDigit && /\d[/-]\d/.test(text)) for (const m of text.matchAll(DATE_NUM)) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const hasPrefix = /^(?:tanggal|tgl|on)/i.test(m[0]);
    if (!m[3] && !hasPrefix) continue; // "3/5" alone may be a fraction or a rating
    let y = m[3] ? Number(m[3]) : undefined;
    if (y !== undefined && y < 100) y += 2000;
    // Day first (Indonesia, most of the world) unless that is impossible.
    const [d, mo] = b > 12 && a <= 12 ? [b, a] : [a, b];
    pushDate(m.index ?? 0, m[0].length, y, mo, d);
  }
  if (hasDigit && /tanggal|tgl/.test(lower)) for (const m of text.matchAll(DATE_TGL)) {
    const s = m.index ?? 0;
    if (taken(s, s + m[0].length) || refDay === undefined) {
      if (refDay === undefined && !taken(s, s + m[0].length)) days.push({ start: s, end: s + m[0].length });
      continue;
    }
    const ref = new Date(refDay * DAY_MS);
    let day = dayFromDate(ref.getUTCFullYear(), ref.getUTCMonth() + 1, Number(m[1]));
    if (day !== undefined && day > refDay) {
      const prev = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth() - 1, 1));
      day = dayFromDate(prev.getUTCFullYear(), prev.getUTCMonth() + 1, Number(m[1]));
    }
    if (day !== undefined) days.push({ start: s, end: s + m[0].length, day });
  }

  // --- times of day -------------------------------------------------------------------------
  if (hasDigit && /jam|pukul|pkl/.test(lower)) for (const m of text.matchAll(ID_TIME)) {
    const h = Number(m[1]);
    const mi = m[2] ? Number(m[2]) : 0;
    if (h > 24 || mi > 59) continue;
    const s = m.index ?? 0;
    const p = periodOf(m[3]).period;
    times.push({ start: s, end: s + m[0].length, hour: applyPeriod(h % 24, p), minute: mi, period: p });
  }
  if (hasDigit && /[ap]\.?m\b|\d[:.]\d/.test(lower)) for (const m of text.matchAll(EN_TIME)) {
    const s = m.index ?? 0;
    if (taken(s, s + m[0].length)) continue;
    if (m[1] !== undefined) {
      const h = Number(m[1]);
      const mi = m[2] ? Number(m[2]) : 0;
      if (h < 1 || h > 12 || mi > 59) continue;
      const p = (m[3] ?? '').toLowerCase().startsWith('a') ? 'am' : 'pm';
      times.push({ start: s, end: s + m[0].length, hour: applyPeriod(h, p), minute: mi, period: p });
    } else {
      const h = Number(m[4]);
      const mi = Number(m[5]);
      const p = m[6] ? ((m[6].toLowerCase() === 'am' ? 'am' : 'pm') as Period) : undefined;
      times.push({ start: s, end: s + m[0].length, hour: p ? applyPeriod(h, p) : h, minute: mi, period: p ?? (h >= 13 ? 'pm' : undefined) });
    }
  }
  if (/[点點时]/.test(text)) for (const m of text.matchAll(ZH_TIME)) {
    const s = m.index ?? 0;
    const cnHour = !/^\d+$/.test(m[2] ?? '');
    // "一点" also means "a little": a Chinese-numeral hour needs a part of day or minutes.
    if (cnHour && !m[1] && !m[3] && !m[4]) continue;
    const h = num(m[2]);
    const mi = m[4] ? 30 : m[3] ? num(m[3]) : 0;
    if (!(h >= 0 && h <= 24) || mi > 59) continue;
    const p = periodOf(m[1]).period;
    times.push({ start: s, end: s + m[0].length, hour: applyPeriod(h % 24, p), minute: mi, period: p });
  }

  if (days.length === 0 && times.length === 0) return undefined;
  days.sort((a, b) => a.start - b.start);
  times.sort((a, b) => a.start - b.start);

  // A part of day right after a day word: "kemarin sore", "yesterday afternoon", "昨天下午".
  const day = days[0];
  if (day && day.period === undefined) {
    PERIOD_WORD.lastIndex = 0;
    for (const m of text.matchAll(PERIOD_WORD)) {
      const s = m.index ?? 0;
      const gap = s - day.end;
      if (gap >= 0 && gap <= 8 && /^[\s,]*(?:in the\s*|jam\s*)?$/i.test(text.slice(day.end, s))) {
        const p = periodOf(m[1] ?? m[2]);
        day.period = p.period;
        day.defaultHour = p.hour;
        day.end = Math.max(day.end, s + m[0].length);
        break;
      }
    }
  }

  // Pair the first day with the nearest time within 40 characters.
  let time: TimeExpr | undefined;
  if (day) {
    let best = Infinity;
    for (const t of times) {
      const overlapping = t.start < day.end && t.end > day.start;
      const dist = overlapping ? 0 : t.start >= day.end ? t.start - day.end : day.start - t.end;
      if (dist >= -1 && dist <= 40 && dist < best) {
        best = dist;
        time = t;
      }
    }
  } else time = times[0];
  const start = Math.min(day?.start ?? Infinity, time?.start ?? Infinity);
  const end = Math.max(day?.end ?? -Infinity, time?.end ?? -Infinity);
  const spanText = text.slice(start, end).trim();

  if (day?.instant !== undefined) return { iso: formatIso(day.instant, offset), text: spanText };
  if (day && day.day === undefined && refDay !== undefined) return { text: spanText };

  let dayNo = day?.day ?? refDay;
  if (dayNo === undefined) return { text: spanText };
  let minutes: number;
  if (time) {
    let hour = time.period ? time.hour : applyPeriod(time.hour, day?.period);
    if (!time.period && !day?.period && hour >= 1 && hour <= 6) {
      // "kemarin jam 3": afternoon, unless that would be after the message.
      const pm = dayNo * DAY_MS + (hour + 12) * 3_600_000 - offset * 60_000;
      if (refMs === undefined || pm <= refMs) hour += 12;
    }
    minutes = hour * 60 + time.minute;
    if (!day && refMs !== undefined && dayNo * DAY_MS + minutes * 60_000 - offset * 60_000 > refMs) dayNo -= 1;
  } else minutes = (day?.defaultHour ?? 0) * 60;
  return { iso: formatIso(dayNo * DAY_MS + minutes * 60_000 - offset * 60_000, offset), text: spanText };
}
