import { compareReports } from './simulation-diff.js';

describe('compareReports', () => {
  it('pairs every numeric figure of both reports, nested ones by path', () => {
    const current = { tickets: 10, wait: { p50: 30, p95: 120 }, waitingReasons: { 'no agent': 2 }, note: 'x' };
    const proposed = { tickets: 10, wait: { p50: 20, p95: 90 }, waitingReasons: {}, extra: 1 };
    expect(compareReports(current, proposed)).toEqual([
      { figure: 'tickets', current: 10, proposed: 10, change: 0 },
      { figure: 'wait.p50', current: 30, proposed: 20, change: -10 },
      { figure: 'wait.p95', current: 120, proposed: 90, change: -30 },
      { figure: 'waitingReasons.no agent', current: 2, proposed: undefined, change: undefined },
      { figure: 'extra', current: undefined, proposed: 1, change: undefined },
    ]);
  });

  it('gives nothing for reports without numbers', () => {
    expect(compareReports(undefined, null)).toEqual([]);
  });
});
