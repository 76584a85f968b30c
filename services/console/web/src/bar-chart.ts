/** One bar of a horizontal bar chart, in SVG user units. */
export interface Bar {
  label: string;
  value: number;
  y: number;
  width: number;
  height: number;
}

export interface BarChartLayout {
  width: number;
  height: number;
  labelWidth: number;
  bars: Bar[];
}

/**
 * Horizontal bars scaled to the largest value, labels on the left, values after each bar.
 * Horizontal because category and channel names are long and read better than rotated ticks.
 */
export function layoutBars(data: { label: string; value: number }[], options: { width?: number; barHeight?: number; gap?: number; labelWidth?: number } = {}): BarChartLayout {
  const width = options.width ?? 320;
  const barHeight = options.barHeight ?? 18;
  const gap = options.gap ?? 6;
  const labelWidth = options.labelWidth ?? 130;
  const valueRoom = 40;
  const max = Math.max(0, ...data.map((d) => d.value));
  const room = width - labelWidth - valueRoom;
  const bars = data.map((d, i) => ({
    label: d.label,
    value: d.value,
    y: i * (barHeight + gap),
    height: barHeight,
    width: max > 0 ? Math.max(d.value > 0 ? 1 : 0, (Math.max(0, d.value) / max) * room) : 0,
  }));
  return { width, height: Math.max(barHeight, data.length * (barHeight + gap) - gap), labelWidth, bars };
}

/**
 * Counts as the API may send them ({sms: 3} or [{key: 'sms', count: 3}]) as chart rows, largest
 * first, with names from `labels` when given.
 */
export function countsToRows(counts: unknown, labels: Record<string, string> = {}): { label: string; value: number }[] {
  const rows: { label: string; value: number }[] = [];
  if (Array.isArray(counts)) {
    for (const item of counts) {
      if (!item || typeof item !== 'object') continue;
      const o = item as Record<string, unknown>;
      const key = String(o.key ?? o.name ?? o.label ?? o.channel ?? o.category ?? o.language ?? '');
      const value = Number(o.count ?? o.value ?? o.total ?? 0);
      if (key && Number.isFinite(value)) rows.push({ label: labels[key] ?? key, value });
    }
  } else if (counts && typeof counts === 'object') {
    for (const [key, value] of Object.entries(counts as Record<string, unknown>)) {
      const n = Number(value);
      if (Number.isFinite(n)) rows.push({ label: labels[key] ?? key, value: n });
    }
  }
  return rows.sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** One time slot of a paired column chart (opened and resolved side by side). */
export interface ColumnPair {
  x: number;
  width: number;
  from: string;
  a: { value: number; y: number; height: number };
  b: { value: number; y: number; height: number };
}

/**
 * Columns per time slot for two series on one scale, baseline at `height`; used for throughput
 * (tickets opened against tickets resolved) over the last hour or day.
 */
export function layoutColumnPairs(series: { from: string; a: number; b: number }[], options: { width?: number; height?: number; gap?: number } = {}): { width: number; height: number; max: number; slots: ColumnPair[] } {
  const width = options.width ?? 480;
  const height = options.height ?? 120;
  const gap = options.gap ?? 4;
  const max = Math.max(0, ...series.flatMap((s) => [s.a, s.b]));
  const slot = series.length ? width / series.length : width;
  const column = Math.max(1, (slot - gap) / 2);
  const bar = (value: number) => {
    const h = max > 0 ? (Math.max(0, value) / max) * height : 0;
    return { value, y: height - h, height: h };
  };
  return { width, height, max, slots: series.map((s, i) => ({ x: i * slot, width: column, from: s.from, a: bar(s.a), b: bar(s.b) })) };
}
