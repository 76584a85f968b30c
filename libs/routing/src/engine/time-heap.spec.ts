import { seededRandom } from '../simulation/traffic';
import { TimeHeap } from './time-heap';

describe('TimeHeap', () => {
  it('gives items back by time, then by seq, whatever the order they came in', () => {
    const random = seededRandom(3);
    const heap = new TimeHeap<{ at: number; seq: number }>();
    const items = Array.from({ length: 500 }, (_, seq) => ({ at: Math.floor(random() * 50), seq }));
    for (const item of items) heap.push(item);
    heap.retain((item) => item.seq % 7 !== 0);
    const out: { at: number; seq: number }[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) out.push(item);
    const expected = items.filter((item) => item.seq % 7 !== 0).sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(out).toEqual(expected);
    expect(heap.size).toBe(0);
  });
});
