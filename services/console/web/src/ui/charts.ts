import { layoutBars, layoutColumnPairs } from '../bar-chart.js';
import { h, svg } from './dom.js';

/** An inline SVG bar chart with a text table fallback for screen readers. */
export function barChart(title: string, rows: { label: string; value: number }[], format: (v: number) => string = String): HTMLElement {
  if (rows.length === 0) return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('p', { class: 'muted' }, 'No data yet.'));
  const layout = layoutBars(rows);
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    svg(
      'svg',
      { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: 'img', 'aria-label': title },
      layout.bars.map((bar) =>
        svg(
          'g',
          { transform: `translate(0 ${bar.y})` },
          svg('text', { x: layout.labelWidth - 6, y: bar.height / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, bar.label),
          svg('rect', { x: layout.labelWidth, y: 0, width: bar.width, height: bar.height, rx: 2, class: 'bar' }),
          svg('text', { x: layout.labelWidth + bar.width + 4, y: bar.height / 2, 'dominant-baseline': 'middle', class: 'bar-value' }, format(bar.value)),
        ),
      ),
    ),
  );
}

/** A single figure with a gauge, for rates and confidences in 0..1. */
export function gauge(title: string, value: number | undefined): HTMLElement {
  const v = value === undefined || Number.isNaN(value) ? undefined : Math.max(0, Math.min(1, value));
  return h(
    'figure',
    { class: 'gauge' },
    h('figcaption', {}, title),
    h('div', { class: 'big' }, v === undefined ? '—' : `${Math.round(v * 100)}%`),
    svg('svg', { viewBox: '0 0 100 8', width: 160, height: 12, 'aria-hidden': 'true' }, svg('rect', { x: 0, y: 0, width: 100, height: 8, class: 'track' }), svg('rect', { x: 0, y: 0, width: (v ?? 0) * 100, height: 8, class: 'bar' })),
  );
}

/** Opened against resolved per time slot, as paired columns with a legend and the peak value. */
export function throughputChart(title: string, series: { from: string; opened: number; resolved: number }[], slotLabel: (from: string) => string): HTMLElement {
  if (series.length === 0) return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('p', { class: 'muted' }, 'No data yet.'));
  const layout = layoutColumnPairs(series.map((s) => ({ from: s.from, a: s.opened, b: s.resolved })));
  const first = series[0].from;
  const last = series[series.length - 1].from;
  return h(
    'figure',
    { class: 'chart throughput' },
    h('figcaption', {}, title, ' ', h('span', { class: 'legend opened' }, 'opened'), ' ', h('span', { class: 'legend resolved' }, 'resolved'), h('small', { class: 'muted' }, ` peak ${layout.max}`)),
    svg(
      'svg',
      { viewBox: `0 0 ${layout.width} ${layout.height + 14}`, width: layout.width, height: layout.height + 14, role: 'img', 'aria-label': title },
      layout.slots.map((slot) =>
        svg(
          'g',
          { transform: `translate(${slot.x} 0)` },
          svg('title', {}, `${slotLabel(slot.from)}: ${slot.a.value} opened, ${slot.b.value} resolved`),
          svg('rect', { x: 0, y: slot.a.y, width: slot.width, height: slot.a.height, class: 'col opened' }),
          svg('rect', { x: slot.width, y: slot.b.y, width: slot.width, height: slot.b.height, class: 'col resolved' }),
        ),
      ),
      svg('line', { x1: 0, x2: layout.width, y1: layout.height + 0.5, y2: layout.height + 0.5, class: 'axis' }),
      svg('text', { x: 0, y: layout.height + 12, class: 'bar-label' }, slotLabel(first)),
      svg('text', { x: layout.width, y: layout.height + 12, 'text-anchor': 'end', class: 'bar-label' }, slotLabel(last)),
    ),
  );
}
