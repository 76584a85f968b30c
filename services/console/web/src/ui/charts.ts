import { layoutBars } from '../bar-chart.js';
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
