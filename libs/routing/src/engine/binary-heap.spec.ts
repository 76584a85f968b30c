import fc from 'fast-check';
import { BinaryHeap } from './binary-heap';

describe('BinaryHeap', () => {
  it('pops in order, also after retain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 2, max: 5 }), (xs, mod) => {
        const heap = new BinaryHeap<number>((a, b) => a < b);
        xs.forEach((x) => heap.push(x));
        heap.retain((x) => Math.abs(x) % mod !== 0);
        const out: number[] = [];
        while (heap.size) out.push(heap.pop() as number);
        expect(out).toEqual(xs.filter((x) => Math.abs(x) % mod !== 0).sort((a, b) => a - b));
      }),
    );
  });
});
