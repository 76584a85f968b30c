import { BusinessHours, isTimeZone, parseSpan } from './business-hours';

// Jakarta is UTC+7 all year (no DST): 08:00 local is 01:00Z.
const jakarta = new BusinessHours({
  timezone: 'Asia/Jakarta',
  weekly: { mon: ['08:00-17:00'], tue: ['08:00-17:00'], wed: ['08:00-17:00'], thu: ['08:00-17:00'], fri: ['08:00-12:00', '13:00-17:00'] },
  holidays: ['2026-12-25'],
});
const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('BusinessHours (Asia/Jakarta, weekdays)', () => {
  it('is open inside the local hours and closed outside them', () => {
    expect(jakarta.isOpen(at('2026-11-30T01:00:00Z'))).toBe(true); // Mon 08:00 WIB
    expect(jakarta.isOpen(at('2026-11-30T00:59:59Z'))).toBe(false); // Mon 07:59:59
    expect(jakarta.isOpen(at('2026-11-30T10:00:00Z'))).toBe(false); // Mon 17:00: the end is not inside
    expect(jakarta.isOpen(at('2026-12-04T05:30:00Z'))).toBe(false); // Fri 12:30, lunch
  });

  it('runs the SLA clock only in open hours: a ticket on Friday at 16:00 with a 2 h target is due on Monday at 09:00', () => {
    const friday4pm = at('2026-11-27T09:00:00Z');
    expect(jakarta.addBusinessTime(friday4pm, 2 * HOUR)).toBe(at('2026-11-30T02:00:00Z'));
  });

  it('counts from the next opening when the ticket arrives at the weekend', () => {
    const saturday = at('2026-11-28T06:00:00Z');
    expect(jakarta.nextOpening(saturday)).toBe(at('2026-11-30T01:00:00Z'));
    expect(jakarta.addBusinessTime(saturday, 30 * 60_000)).toBe(at('2026-11-30T01:30:00Z'));
  });

  it('skips the lunch break and holidays', () => {
    expect(jakarta.addBusinessTime(at('2026-12-04T04:00:00Z'), 2 * HOUR)).toBe(at('2026-12-04T07:00:00Z')); // Fri 11:00 + 2h = 14:00
    // Thu 24 Dec 16:00 + 2h: Fri 25 Dec is a holiday, so Mon 28 Dec 09:00.
    expect(jakarta.addBusinessTime(at('2026-12-24T09:00:00Z'), 2 * HOUR)).toBe(at('2026-12-28T02:00:00Z'));
    expect(jakarta.openBetween(at('2026-12-24T00:00:00Z'), at('2026-12-29T00:00:00Z'))).toBe(9 * HOUR + 9 * HOUR);
  });
});

describe('BusinessHours overnight and in a zone with DST', () => {
  const night = new BusinessHours({ timezone: 'Asia/Jakarta', weekly: { sat: ['22:00-06:00'], sun: ['22:00-06:00'] } });

  it('keeps a span that started the day before open after midnight', () => {
    expect(night.isOpen(at('2026-11-28T15:00:00Z'))).toBe(true); // Sat 22:00
    expect(night.isOpen(at('2026-11-28T22:00:00Z'))).toBe(true); // Sun 05:00, from Saturday's span
    expect(night.isOpen(at('2026-11-29T00:00:00Z'))).toBe(false); // Sun 07:00
    expect(night.addBusinessTime(at('2026-11-28T22:00:00Z'), 3 * HOUR)).toBe(at('2026-11-29T17:00:00Z')); // 1 h left on Sunday morning, then Sun 22:00 + 2 h
  });

  it('follows the local clock across a DST change', () => {
    const berlin = new BusinessHours({ timezone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } });
    expect(berlin.nextOpening(at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-30T07:00:00Z')); // CEST, UTC+2
    expect(berlin.nextOpening(at('2026-10-31T12:00:00Z'))).toBe(at('2026-11-02T08:00:00Z')); // CET, UTC+1
  });

  it('never opens without spans', () => {
    expect(new BusinessHours({ timezone: 'UTC', weekly: {} }).nextOpening(0)).toBeUndefined();
  });
});

describe('parseSpan and isTimeZone', () => {
  it('reads spans and says what is wrong with bad ones', () => {
    expect(parseSpan('08:00-17:30')).toEqual({ start: 480, end: 1050 });
    expect(parseSpan('22:00-06:00')).toEqual({ start: 1320, end: 1800 });
    expect(parseSpan('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(parseSpan('8-17')).toMatch(/not a span/);
    expect(parseSpan('09:00-25:00')).toMatch(/out of range/);
    expect(parseSpan('09:00-09:00')).toMatch(/empty/);
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Asia/Jakarta')).toBe(true);
    expect(isTimeZone('Asia/Djakarta-ish')).toBe(false);
  });
});
