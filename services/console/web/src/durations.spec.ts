import { formatAge, formatDuration, secondsUntil } from './durations.js';

describe('durations', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m 00s'],
    [245, '4m 05s'],
    [3600, '1h 00m'],
    [7380, '2h 03m'],
    [86400 * 3 + 3600 * 4, '3d 4h'],
    [-12, '0s'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('counts seconds until a time, rounding up so a countdown reaches 0 only when it is due', () => {
    const now = Date.parse('2026-11-29T10:00:00.000Z');
    expect(secondsUntil('2026-11-29T10:00:20.000Z', now)).toBe(20);
    expect(secondsUntil('2026-11-29T10:00:19.500Z', now + 0)).toBe(20);
    expect(secondsUntil('2026-11-29T09:59:50.000Z', now)).toBe(-10);
    expect(secondsUntil(undefined, now)).toBeNaN();
    expect(secondsUntil('not a date', now)).toBeNaN();
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-11-29T10:05:00.000Z');
    expect(formatAge('2026-11-29T10:00:00.000Z', now)).toBe('5m 00s ago');
    expect(formatAge(undefined, now)).toBe('');
  });
});
