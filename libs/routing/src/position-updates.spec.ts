import { PositionUpdates } from './position-updates';

describe('PositionUpdates', () => {
  it('tells a new place only when it changed, at most once per interval per ticket', () => {
    const updates = new PositionUpdates(30_000);
    updates.record('t1', 'refunds', 5, 0);
    expect(updates.check('t1', 'refunds', 5, 60_000)).toBe('same');
    expect(updates.check('t1', 'refunds', 4, 10_000)).toBe('later');
    expect(updates.check('t1', 'refunds', 3, 30_000)).toBe('tell');
    updates.record('t1', 'refunds', 3, 30_000);
    expect(updates.check('t1', 'refunds', 2, 45_000)).toBe('later');
    expect(updates.check('t1', 'general', 3, 45_000)).toBe('later');
  });

  it('tells a ticket it has not told anything yet, and forgets tickets that stopped waiting', () => {
    const updates = new PositionUpdates(30_000);
    expect(updates.check('t2', 'refunds', 7, 0)).toBe('tell');
    updates.record('t2', 'refunds', 7, 0);
    updates.forget('t2');
    expect(updates.size).toBe(0);
    expect(updates.check('t2', 'refunds', 7, 1)).toBe('tell');
  });
});
