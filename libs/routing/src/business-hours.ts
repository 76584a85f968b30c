/** Days of the week as the workflow YAML names them (`weekly.mon`, ...), Sunday first like `Date#getUTCDay`. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A queue's opening hours as written: local times in `timezone`, closed on days without spans and on holidays. */
export interface BusinessHoursConfig {
  /** IANA name, e.g. `Asia/Jakarta`. */
  timezone: string;
  /** Per day, spans `HH:MM-HH:MM`; an end before the start runs past midnight (`22:00-06:00`), `24:00` is midnight. */
  weekly: Partial<Record<Weekday, readonly string[]>>;
  /** Local dates `YYYY-MM-DD` on which spans starting that day do not open. */
  holidays?: readonly string[];
}

interface Span {
  /** Minutes after local midnight of the day it starts. */
  start: number;
  /** Minutes after that midnight; past 1440 when it runs overnight. */
  end: number;
}

const DAY_MS = 86_400_000;
/** How far ahead to look for an opening: a year and a bit covers any holiday list. */
const SEARCH_DAYS = 400;

/** `08:00-17:00` → minutes, or what is wrong with it. */
export function parseSpan(text: string): Span | string {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return `'${text}' is not a span like 08:00-17:00`;
  const [sh, sm, eh, em] = m.slice(1).map(Number);
  if (sh > 23 || sm > 59 || eh > 24 || em > 59 || (eh === 24 && em !== 0)) return `'${text}' has a time out of range`;
  const start = sh * 60 + sm;
  let end = eh * 60 + em;
  if (end === start) return `'${text}' is empty (use 00:00-24:00 for all day)`;
  if (end < start) end += 1440;
  return { start, end };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a time zone. */
function localFields(t: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour % 24, mi: parts.minute, s: parts.second };
}

/** Local time minus UTC, in ms, at instant `t`. */
function offsetAt(t: number, timeZone: string): number {
  const f = localFields(t, timeZone);
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - Math.floor(t / 1000) * 1000;
}

/** The instant of local midnight of (y, mo, d) plus `minutes`, in `timeZone` (DST: the offset at that instant). */
function localToUtc(y: number, mo: number, d: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d, 0, minutes);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

/**
 * Opening hours of a queue, evaluated in its time zone. Pure (no clock: instants come in as ms
 * since the epoch). SLA clocks run only inside these hours; outside them a customer's expected
 * wait counts up to the next opening.
 */
export class BusinessHours {
  private readonly spans: Span[][];
  private readonly holidays: ReadonlySet<string>;

  constructor(readonly config: BusinessHoursConfig) {
    this.spans = WEEKDAYS.map((day) =>
      (config.weekly[day] ?? [])
        .map((text) => parseSpan(text))
        .filter((s): s is Span => typeof s !== 'string')
        .sort((a, b) => a.start - b.start),
    );
    this.holidays = new Set(config.holidays ?? []);
  }

  get timezone(): string {
    return this.config.timezone;
  }

  /** Open intervals [start, end) in time order that end after `from` (overlapping ones are not merged). */
  *intervalsFrom(from: number): Generator<[number, number]> {
    const local = localFields(from, this.config.timezone);
    // Start a day early: yesterday's overnight span may still be open.
    const firstDay = Date.UTC(local.y, local.mo - 1, local.d) - DAY_MS;
    for (let i = 0; i < SEARCH_DAYS; i++) {
      const day = new Date(firstDay + i * DAY_MS);
      const [y, mo, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
      if (this.holidays.has(day.toISOString().slice(0, 10))) continue;
      for (const span of this.spans[day.getUTCDay()]) {
        const end = localToUtc(y, mo, d, span.end, this.config.timezone);
        if (end <= from) continue;
        yield [localToUtc(y, mo, d, span.start, this.config.timezone), end];
      }
    }
  }

  isOpen(t: number): boolean {
    return this.nextOpening(t) === t;
  }

  /** `t` itself when open, else when the queue opens next; undefined when it never does. */
  nextOpening(t: number): number | undefined {
    // Intervals come in order of their start, so the first one still open after `t` is the next opening.
    for (const [start] of this.intervalsFrom(t)) return Math.max(start, t);
    return undefined;
  }

  /** The instant at which `ms` of open time has passed since `start` (the business-hours due time); undefined if never. */
  addBusinessTime(start: number, ms: number): number | undefined {
    let cursor = start;
    let remaining = Math.max(0, ms);
    for (const [s, e] of this.intervalsFrom(start)) {
      if (e <= cursor) continue;
      const from = Math.max(s, cursor);
      if (remaining <= e - from) return from + remaining;
      remaining -= e - from;
      cursor = e;
    }
    return undefined;
  }

  /** Open time (ms) between two instants. */
  openBetween(from: number, to: number): number {
    let total = 0;
    let cursor = from;
    for (const [s, e] of this.intervalsFrom(from)) {
      if (s >= to) break;
      const a = Math.max(s, cursor);
      const b = Math.min(e, to);
      if (b > a) {
        total += b - a;
        cursor = b;
      }
    }
    return total;
  }

  describe(): string {
    const days = WEEKDAYS.filter((d) => this.config.weekly[d]?.length).map((d) => `${d} ${(this.config.weekly[d] ?? []).join(', ')}`);
    return `${days.join('; ')} (${this.config.timezone})`;
  }
}
