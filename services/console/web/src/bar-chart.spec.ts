import { countsToRows, layoutBars } from './bar-chart.js';

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
