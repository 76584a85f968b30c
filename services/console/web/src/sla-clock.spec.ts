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

  it('turns breached when the due time passes, whatever the API said then', () => {
    expect(readSla({ dueAt: '2026-11-29T09:55:00Z', state: 'ok' }, now)).toEqual({ state: 'breached', text: '5m 00s over' });
    expect(readSla({ state: 'breached' }, now)).toEqual({ state: 'breached', text: 'breached' });
  });
});
