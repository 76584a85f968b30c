import { CATEGORIES, type Category } from '@switchboard/contracts';

export interface Prediction {
  label: Category;
  predicted: Category;
  confidence: number;
  weight?: number;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<Category, ClassMetrics>;
  confusion: number[][];
}

export function report(preds: readonly Prediction[], classes: readonly Category[] = CATEGORIES): Report {
  const K = classes.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  for (const p of preds) {
    const a = classes.indexOf(p.label);
    const b = classes.indexOf(p.predicted);
    (confusion[a] as number[])[b]++;
    if (a === b) correct++;
  }
  const perClass = {} as Record<Category, ClassMetrics>;
  let f1sum = 0;
  let present = 0;
  classes.forEach((c, k) => {
    const tp = (confusion[k] as number[])[k] as number;
    const support = (confusion[k] as number[]).reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, row) => s + (row[k] as number), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support };
    if (support > 0) {
      f1sum += f1;
      present++;
    }
  });
  return { n: preds.length, accuracy: preds.length ? correct / preds.length : 0, macroF1: present ? f1sum / present : 0, perClass, confusion };
}

export interface CoveragePoint {
  threshold: number;
  coverage: number;
  precision: number;
  autoRouted: number;
}

/** Precision of the messages routed automatically (confidence >= threshold) and their share. */
export function coverageAt(preds: readonly Prediction[], threshold: number): CoveragePoint {
  let total = 0;
  let auto = 0;
  let right = 0;
  let count = 0;
  for (const p of preds) {
    const w = p.weight ?? 1;
    total += w;
    if (p.confidence >= threshold) {
      auto += w;
      count++;
      if (p.label === p.predicted) right += w;
    }
  }
  return { threshold, coverage: total ? auto / total : 0, precision: auto ? right / auto : 1, autoRouted: count };
}

/**
 * Lower end of the Wilson score interval of a proportion `p` observed on `n` trials, one-sided
 * with the normal quantile `z` (1.645: 95%). Weighted trials count as their effective number.
 */
export function wilsonLowerBound(p: number, n: number, z: number): number {
  if (n <= 0) return 0;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/**
 * Lowest threshold whose auto-routed precision reaches `target` (weighted predictions). With
 * `z > 0` the precision must reach it with that confidence (the Wilson lower bound on the
 * effective number of auto-routed lines), so that a small set does not pass by luck.
 */
export function thresholdForPrecision(preds: readonly Prediction[], target: number, z = 0): CoveragePoint {
  const sorted = [...preds].sort((a, b) => b.confidence - a.confidence);
  let auto = 0;
  let autoSquares = 0;
  let right = 0;
  let total = 0;
  for (const p of sorted) total += p.weight ?? 1;
  let best: CoveragePoint = { threshold: 1, coverage: 0, precision: 1, autoRouted: 0 };
  let count = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] as Prediction;
    const w = p.weight ?? 1;
    auto += w;
    autoSquares += w * w;
    right += p.label === p.predicted ? w : 0;
    count++;
    const next = sorted[i + 1];
    if (next && next.confidence === p.confidence) continue;
    const precision = right / auto;
    if ((z > 0 ? wilsonLowerBound(precision, (auto * auto) / autoSquares, z) : precision) >= target)
      best = { threshold: p.confidence, coverage: auto / total, precision, autoRouted: count };
  }
  return best;
}

const pct = (v: number): string => (v * 100).toFixed(1).padStart(5);
const f3 = (v: number): string => v.toFixed(3);

export function formatReport(name: string, r: Report, preds: readonly Prediction[], threshold: number, classes: readonly Category[] = CATEGORIES): string {
  const lines: string[] = [];
  lines.push(`=== ${name}: n=${r.n}  accuracy=${f3(r.accuracy)}  macro-F1=${f3(r.macroF1)}`);
  lines.push('class               precision  recall     F1  support');
  for (const c of classes) {
    const m = r.perClass[c];
    lines.push(`${c.padEnd(20)}${f3(m.precision).padStart(9)}${f3(m.recall).padStart(8)}${f3(m.f1).padStart(7)}${String(m.support).padStart(9)}`);
  }
  const short = ['login', 'txn_fail', 'security', 'refund', 'other'];
  lines.push('confusion (rows = true, columns = predicted)');
  lines.push(''.padEnd(20) + short.map((s) => s.padStart(9)).join(''));
  classes.forEach((c, k) => lines.push(c.padEnd(20) + (r.confusion[k] as number[]).map((v) => String(v).padStart(9)).join('')));
  const at = coverageAt(preds, threshold);
  lines.push(`at the default threshold ${threshold.toFixed(3)}: auto-routed ${pct(at.coverage)}% (${at.autoRouted}/${preds.length}), precision ${pct(at.precision)}%, triage ${pct(1 - at.coverage)}%`);
  lines.push(thresholdTable(preds, threshold));
  return lines.join('\n');
}

export function thresholdTable(preds: readonly Prediction[], threshold: number): string {
  const lines = ['threshold  auto-routed%  precision%'];
  const ts = [...new Set([0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, threshold, 0.99])].sort((a, b) => a - b);
  for (const t of ts) {
    const p = coverageAt(preds, t);
    lines.push(`${t.toFixed(3).padStart(9)}  ${pct(p.coverage).padStart(12)}  ${pct(p.precision).padStart(10)}${t === threshold ? '   <- default' : ''}`);
  }
  return lines.join('\n');
}
