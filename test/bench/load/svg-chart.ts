// A dependency-free SVG: latency percentiles (log scale) and throughput against the offered rate,
// the pipeline beside the bare Kafka/MongoDB path.
import { Percentiles } from './metrics';

interface Step {
  offeredRate: number;
  throughput: number;
  ackMs: Percentiles;
  routedMs: Percentiles;
  bare?: { throughput: number; latencyMs: Percentiles };
}

const W = 900;
const H = 380;
const PAD = { left: 60, right: 20, top: 40, bottom: 50 };

export function renderChart(steps: Step[]): string {
  const panelW = (W - PAD.left * 2 - PAD.right * 2) / 2;
  const plotH = H - PAD.top - PAD.bottom;
  const rates = steps.map((s) => s.offeredRate);
  const x = (i: number, left: number) => left + (rates.length <= 1 ? panelW / 2 : (i / (rates.length - 1)) * panelW);
  const latencies = steps.flatMap((s) => [s.ackMs.p99, s.routedMs.p50, s.bare?.latencyMs.p99 ?? NaN, s.bare?.latencyMs.p50 ?? NaN]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.max(0.5, Math.min(...latencies, 10) / 2);
  const hi = Math.max(...latencies, 200) * 1.5;
  const yLat = (v: number) => PAD.top + plotH - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const maxThr = Math.max(...steps.flatMap((s) => [s.offeredRate, s.throughput, s.bare?.throughput ?? 0]), 1) * 1.1;
  const left2 = PAD.left * 2 + PAD.right + panelW;
  const yThr = (v: number) => PAD.top + plotH - (v / maxThr) * plotH;

  const line = (values: (number | undefined)[], left: number, y: (v: number) => number, color: string, dash = '') => {
    const points = values
      .map((v, i) => (v !== undefined && Number.isFinite(v) ? `${x(i, left).toFixed(1)},${y(v).toFixed(1)}` : null))
      .filter(Boolean)
      .join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${points}"/>`;
  };
  const axes = (left: number, title: string) =>
    `<rect x="${left}" y="${PAD.top}" width="${panelW}" height="${plotH}" fill="none" stroke="#999"/>` +
    `<text x="${left + panelW / 2}" y="${PAD.top - 12}" text-anchor="middle" font-weight="bold">${title}</text>` +
    rates.map((r, i) => `<text x="${x(i, left)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${r}</text>`).join('') +
    `<text x="${left + panelW / 2}" y="${H - 12}" text-anchor="middle">offered rate (msg/s)</text>`;
  const latTicks = [1, 10, 100, 1000, 10000].filter((t) => t >= lo && t <= hi);
  const thrTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxThr));
  const legend = (items: [string, string, string][], left: number) =>
    items.map(([label, color, dash], i) => `<line x1="${left + 8}" x2="${left + 30}" y1="${PAD.top + 14 + i * 16}" y2="${PAD.top + 14 + i * 16}" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''}/><text x="${left + 34}" y="${PAD.top + 18 + i * 16}">${label}</text>`).join('');

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${axes(PAD.left, 'latency from acceptance (ms, log)')}
${latTicks.map((t) => `<text x="${PAD.left - 6}" y="${yLat(t) + 4}" text-anchor="end">${t}</text><line x1="${PAD.left}" x2="${PAD.left + panelW}" y1="${yLat(t)}" y2="${yLat(t)}" stroke="#eee"/>`).join('')}
<line x1="${PAD.left}" x2="${PAD.left + panelW}" y1="${yLat(100)}" y2="${yLat(100)}" stroke="#c00" stroke-dasharray="2 3"/>
${line(steps.map((s) => s.ackMs.p50), PAD.left, yLat, '#1f77b4')}
${line(steps.map((s) => s.ackMs.p99), PAD.left, yLat, '#d62728')}
${line(steps.map((s) => s.routedMs.p99), PAD.left, yLat, '#ff7f0e', '6 3')}
${line(steps.map((s) => s.bare?.latencyMs.p50), PAD.left, yLat, '#2ca02c', '2 2')}
${line(steps.map((s) => s.bare?.latencyMs.p99), PAD.left, yLat, '#9467bd', '2 2')}
${legend([['ack p50', '#1f77b4', ''], ['ack p99', '#d62728', ''], ['routed p99', '#ff7f0e', '6 3'], ['bare p50', '#2ca02c', '2 2'], ['bare p99', '#9467bd', '2 2']], PAD.left)}
${axes(left2, 'throughput (msg/s)')}
${thrTicks.map((t) => `<text x="${left2 - 6}" y="${yThr(t) + 4}" text-anchor="end">${t}</text><line x1="${left2}" x2="${left2 + panelW}" y1="${yThr(t)}" y2="${yThr(t)}" stroke="#eee"/>`).join('')}
${line(rates, left2, yThr, '#999', '4 4')}
${line(steps.map((s) => s.throughput), left2, yThr, '#1f77b4')}
${line(steps.map((s) => s.bare?.throughput), left2, yThr, '#2ca02c', '2 2')}
${legend([['offered', '#999', '4 4'], ['pipeline', '#1f77b4', ''], ['bare path', '#2ca02c', '2 2']], left2)}
</svg>
`;
}
