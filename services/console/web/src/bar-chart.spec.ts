import { countsToRows, layoutBars, layoutColumnPairs } from './bar-chart.js';

describe('bar chart layout', () => {
  it('scales bars to the largest value and stacks them', () => {
    const layout = layoutBars([{ label: 'sms', value: 10 }, { label: 'email', value: 5 }, { label: 'inapp', value: 0 }], { width: 270, labelWidth: 130, barHeight: 10, gap: 5 });
    expect(layout.bars.map((b) => b.width)).toEqual([100, 50, 0]);
    expect(layout.bars.map((b) => b.y)).toEqual([0, 15, 30]);
    expect(layout.height).toBe(40);
  });

  it('draws nothing for all-zero or empty data without dividing by zero', () => {
    expect(layoutBars([{ label: 'a', value: 0 }]).bars[0].width).toBe(0);
    expect(layoutBars([]).bars).toEqual([]);
  });

  it('keeps a tiny value visible', () => {
    expect(layoutBars([{ label: 'a', value: 1000 }, { label: 'b', value: 1 }], { width: 270, labelWidth: 130 }).bars[1].width).toBe(1);
  });

  it('reads counts as objects or lists, largest first, with friendly labels', () => {
    expect(countsToRows({ sms: 2, email: 5, bad: 'x' }, { sms: 'SMS' })).toEqual([{ label: 'email', value: 5 }, { label: 'SMS', value: 2 }]);
    expect(countsToRows([{ key: 'id', count: 3 }, { language: 'en', count: 4 }, null])).toEqual([{ label: 'en', value: 4 }, { label: 'id', value: 3 }]);
    expect(countsToRows(undefined)).toEqual([]);
  });
});

describe('column pairs layout', () => {
  it('puts two columns per slot on one scale, from the baseline up', () => {
    const layout = layoutColumnPairs([{ from: 't0', a: 4, b: 2 }, { from: 't1', a: 0, b: 1 }], { width: 100, height: 40, gap: 10 });
    expect(layout.max).toBe(4);
    expect(layout.slots.map((s) => [s.x, s.width])).toEqual([[0, 20], [50, 20]]);
    expect(layout.slots[0].a).toEqual({ value: 4, y: 0, height: 40 });
    expect(layout.slots[0].b).toEqual({ value: 2, y: 20, height: 20 });
    expect(layout.slots[1].a).toEqual({ value: 0, y: 40, height: 0 });
  });

  it('draws flat columns when nothing happened', () => {
    expect(layoutColumnPairs([{ from: 't0', a: 0, b: 0 }]).slots[0].a.height).toBe(0);
    expect(layoutColumnPairs([]).slots).toEqual([]);
  });
});
