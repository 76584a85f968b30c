import { KeyLocks } from './key-locks';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyLocks', () => {
  it('runs holders of a shared key one after the other, in the order they asked, and others at once', async () => {
    const locks = new KeyLocks();
    const order: string[] = [];
    const first = await locks.hold(['phone:1', 'sms:1']);
    const second = locks.hold(['phone:1', 'inapp:2']).then((release) => (order.push('second'), release));
    const third = locks.hold(['inapp:2']).then((release) => (order.push('third'), release));
    const other = locks.hold(['email:3']).then((release) => (order.push('other'), release));
    (await other)();
    await tick();
    expect(order).toEqual(['other']);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['other', 'second', 'third']);
    expect(locks.size).toBe(0);
  });

  it('never waits in a circle: two holders asking for the same keys in opposite orders both get them', async () => {
    const locks = new KeyLocks();
    const runs = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const release = await locks.hold(i % 2 ? ['a', 'b', `own-${i}`] : [`own-${i}`, 'b', 'a']);
        await tick();
        release();
        return i;
      }),
    );
    expect(runs).toHaveLength(50);
    expect(locks.size).toBe(0);
  });

  it('takes a key named twice once', async () => {
    const locks = new KeyLocks();
    (await locks.hold(['a', 'a']))();
    (await locks.hold(['a']))();
    expect(locks.size).toBe(0);
  });
});
