import { DeliveryReceipt } from '@switchboard/contracts';
import { holdReceiptsMs, parseCheckAfter, planDeliveryCheck, unfinishedDeliveries } from './delivery-check';

const MIN = 60_000;
const CHECKS = [10 * MIN, 60 * MIN, 360 * MIN];
const T0 = new Date('2026-11-30T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function receipt(notificationId: string, status: DeliveryReceipt['status'], ms: number, extra: Partial<DeliveryReceipt> = {}): DeliveryReceipt {
  return { schemaVersion: 1, eventId: `${notificationId}-${status}`, notificationId, channel: 'sms', status, occurredAt: at(ms).toISOString(), ...extra };
}

describe('unfinishedDeliveries', () => {
  it('leaves out every notification with a final receipt in the stretch, in whatever order it came', () => {
    const open = unfinishedDeliveries(
      [
        receipt('a', 'queued', 0, { providerMessageId: 'SMa' }),
        receipt('a', 'sent', 100),
        receipt('a', 'delivered', 200),
        receipt('b', 'delivered', 0),
        receipt('b', 'queued', 300, { providerMessageId: 'SMb' }),
        receipt('c', 'queued', 0, { providerMessageId: 'SMc' }),
        receipt('c', 'sent', 500),
        receipt('d', 'undelivered', 50),
        receipt('e', 'failed', 50),
      ],
      'sms',
    );
    expect([...open.keys()]).toEqual(['c']);
    expect(open.get('c')).toEqual({ lastAt: at(500), providerMessageId: 'SMc' });
  });

  it('keeps to its channel and remembers the latest receipt time even when receipts come out of order', () => {
    const open = unfinishedDeliveries([receipt('x', 'sent', 900), receipt('x', 'queued', 100), receipt('y', 'sent', 0, { channel: 'email' })], 'sms');
    expect([...open.entries()]).toEqual([['x', { lastAt: at(900) }]]);
  });
});

describe('holdReceiptsMs', () => {
  it('holds a stretch until its newest receipt is old enough, never longer than the delay', () => {
    const receipts = [receipt('a', 'queued', 0), receipt('b', 'queued', 4 * MIN)];
    expect(holdReceiptsMs(receipts, at(5 * MIN), 10 * MIN)).toBe(9 * MIN);
    expect(holdReceiptsMs(receipts, at(15 * MIN), 10 * MIN)).toBe(0);
    expect(holdReceiptsMs([receipt('c', 'queued', 60 * MIN)], at(0), 10 * MIN)).toBe(10 * MIN);
    expect(holdReceiptsMs([], at(0), 10 * MIN)).toBe(0);
  });
});

describe('planDeliveryCheck', () => {
  const plan = (checksDone: number, nowMs: number, status: DeliveryReceipt['status'] | 'gone' = 'queued') =>
    planDeliveryCheck({ status: status === 'gone' ? undefined : status, since: T0, checksDone }, at(nowMs), CHECKS);

  it('checks at each stage from the last receipt, then stops', () => {
    expect(plan(0, 5 * MIN)).toEqual({ kind: 'wait', dueAt: at(10 * MIN) });
    expect(plan(0, 10 * MIN)).toEqual({ kind: 'check', check: 1, nextDueAt: at(60 * MIN) });
    expect(plan(1, 30 * MIN)).toEqual({ kind: 'wait', dueAt: at(60 * MIN) });
    expect(plan(1, 61 * MIN)).toEqual({ kind: 'check', check: 2, nextDueAt: at(360 * MIN) });
    expect(plan(2, 360 * MIN)).toEqual({ kind: 'check', check: 3 });
    expect(plan(3, 900 * MIN)).toEqual({ kind: 'stop' });
  });

  it('asks once for stages missed while nobody looked, not once per stage', () => {
    expect(plan(0, 120 * MIN)).toEqual({ kind: 'check', check: 2, nextDueAt: at(360 * MIN) });
    expect(plan(0, 24 * 60 * MIN)).toEqual({ kind: 'check', check: 3 });
  });

  it('forgets a notification that reached a final status, or is gone', () => {
    for (const status of ['delivered', 'undelivered', 'failed'] as const) expect(plan(1, 61 * MIN, status)).toEqual({ kind: 'stop' });
    expect(plan(0, 61 * MIN, 'gone')).toEqual({ kind: 'stop' });
  });

  it('checks a sent message as it checks a queued one', () => {
    expect(plan(0, 10 * MIN, 'sent')).toEqual({ kind: 'check', check: 1, nextDueAt: at(60 * MIN) });
  });
});

describe('parseCheckAfter', () => {
  it('reads growing delays in the retry delays units; empty turns checks off', () => {
    expect(parseCheckAfter('10m,1h,6h')).toEqual(CHECKS);
    expect(parseCheckAfter('')).toEqual([]);
    expect(parseCheckAfter('500ms, 2s')).toEqual([500, 2_000]);
  });

  it('refuses delays that do not grow, zero, and what is not a delay', () => {
    expect(() => parseCheckAfter('1h,10m')).toThrow(/grow/);
    expect(() => parseCheckAfter('0')).toThrow(/above zero/);
    expect(() => parseCheckAfter('soon')).toThrow(/not a delay/);
  });
});
