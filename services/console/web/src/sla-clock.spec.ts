import { readSla } from './sla-clock.js';

describe('readSla', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');

  it('has no clock without a due time or policy', () => {
    expect(readSla(undefined, now)).toEqual({ state: 'none', text: '' });
    expect(readSla({ state: 'none' }, now)).toEqual({ state: 'none', text: '' });
  });

  it('counts down to the due time, naming the clock', () => {
    expect(readSla({ dueAt: '2026-11-29T10:10:00Z', state: 'ok', target: 'first-response' }, now)).toEqual({ state: 'ok', text: 'first reply 10m 00s left' });
    expect(readSla({ dueAt: '2026-11-29T10:01:00Z', state: 'at_risk', target: 'resolution' }, now)).toEqual({ state: 'at_risk', text: 'resolution 1m 00s left' });
  });

  it('stands still while the ticket waits for the customer, saying what is left', () => {
    const paused = { state: 'paused' as const, target: 'resolution' as const, secondsLeft: 750, pausedAt: '2026-11-29T09:00:00Z' };
    expect(readSla(paused, now)).toEqual({ state: 'paused', text: 'paused, waiting for the customer (resolution 12m 30s left)' });
    expect(readSla(paused, now + 3_600_000)).toEqual(readSla(paused, now));
    expect(readSla({ ...paused, secondsLeft: -60 }, now).text).toBe('paused, waiting for the customer (resolution 1m 00s over)');
  });

  it('turns breached when the due time passes, whatever the API said then', () => {
    expect(readSla({ dueAt: '2026-11-29T09:55:00Z', state: 'ok' }, now)).toEqual({ state: 'breached', text: '5m 00s over' });
    expect(readSla({ state: 'breached' }, now)).toEqual({ state: 'breached', text: 'breached' });
  });
});
