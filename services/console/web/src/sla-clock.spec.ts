import { readSla } from './sla-clock.js';

describe('readSla', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');

  it('has no clock without a due time', () => {
    expect(readSla(undefined, now)).toEqual({ state: 'none', text: '' });
    expect(readSla({}, now)).toEqual({ state: 'none', text: '' });
  });

  it('counts down to the due time, at risk once the warning time passed', () => {
    expect(readSla({ dueAt: '2026-11-29T10:10:00Z', warnAt: '2026-11-29T10:08:00Z' }, now)).toEqual({ state: 'ok', text: '10m 00s left' });
    expect(readSla({ dueAt: '2026-11-29T10:01:00Z', warnAt: '2026-11-29T09:59:00Z' }, now)).toEqual({ state: 'at_risk', text: '1m 00s left' });
  });

  it('trusts the API when it says at risk or breached', () => {
    expect(readSla({ dueAt: '2026-11-29T11:00:00Z', atRisk: true }, now).state).toBe('at_risk');
    expect(readSla({ breached: true }, now)).toEqual({ state: 'breached', text: 'breached' });
  });

  it('shows how far past due a breached clock is', () => {
    expect(readSla({ dueAt: '2026-11-29T09:55:00Z' }, now)).toEqual({ state: 'breached', text: '5m 00s over' });
  });
});
