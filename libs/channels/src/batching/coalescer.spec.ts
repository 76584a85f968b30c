import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('writes a lone item at once, and what arrives during a write in the next one', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const coalescer = new Coalescer<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = coalescer.add(1);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    const later = [coalescer.add(2), coalescer.add(3), coalescer.add(4)];
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('gathers the callers of one tick into one write, at most maxItems a write', async () => {
    const writes: number[][] = [];
    const coalescer = new Coalescer<number>(async (items) => void writes.push(items), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => coalescer.add(n)));
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives each caller the write’s answer for its own item', async () => {
    const coalescer = new Coalescer<number, string>(async (items) => items.map((n) => `stored ${n}`));
    expect(await Promise.all([coalescer.add(1), coalescer.add(2)])).toEqual(['stored 1', 'stored 2']);
  });

  it('rejects the callers of a failed write only, and goes on with the next', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const coalescer = new Coalescer<string>(async () => {
      calls += 1;
      if (calls === 1) {
        await new Promise<void>((r) => (release = r));
        throw new Error('database is locked');
      }
    });
    const failing = coalescer.add('a');
    await new Promise((r) => setImmediate(r));
    const next = coalescer.add('b');
    release();
    await expect(failing).rejects.toThrow('database is locked');
    await expect(next).resolves.toBeUndefined();
  });
});
