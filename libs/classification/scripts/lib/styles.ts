/**
 * Domain-aware features ("frustratingly easy domain adaptation", Daumé 2007) for the two writing
 * styles of the training data: app reviews (the real Indonesian lines) and support messages
 * (everything else). Each feature is trained three times: shared, and crossed with the line's
 * style (value `alpha` times the shared one), so lines of one style can move their own copy
 * without moving what the other style relies on, while the shared copy carries what both agree on.
 *
 * The style of a training line comes from its source; at prediction it never does: a style
 * detector (binary logistic regression on the shared features, trained on the same lines) gives
 * the probability of a review, and the two styles' logits are mixed by it (`styleMix`), exactly
 * as the classifier does at run time.
 */
import type { SparseVector } from '../../src/features';
import { styleMix } from '../../src/model';
import type { Example } from './data';
import { buildMatrix, trainLogReg, type LinearWeights } from './trainer';
import { arg } from './options';

export const STYLES: [string, string] = ['review', 'message'];

export interface StyleOptions {
  enabled: boolean;
  /**
   * `features`: every feature has a copy per style; `priors`: only a constant feature does (a class
   * prior per style).
   */
  copies: 'features' | 'priors';
  alpha: number;
  detectorL2: number;
}

export function styleOptions(): StyleOptions {
  // Off by default: round 5 found no setting that beats the plain model on both Indonesian proxies (README).
  const copies = arg('style-copies', 'features');
  if (copies !== 'features' && copies !== 'priors') throw new Error(`--style-copies must be features or priors, got ${copies}`);
  return { enabled: arg('styles', 'off') === 'on', copies, alpha: Number(arg('style-alpha', '1')), detectorL2: Number(arg('style-l2', '1e-4')) };
}

/** The support messages in the reviews' language, which the detector must tell from them. */
const DETECTOR_PEER = 'own-id';

/** 0 for a review, 1 for a support message: the source decides, for training lines only. */
export function styleOfSource(source: string): number {
  return source === 'real-id' ? 0 : 1;
}

/** The shared features followed by their copy in the style's block. */
export function augment(x: SparseVector, style: number, D: number, alpha: number, copies: StyleOptions['copies'] = 'features'): SparseVector {
  if (copies === 'priors') {
    const idx = new Int32Array(x.n + 1);
    const val = new Float32Array(x.n + 1);
    idx.set(x.idx.subarray(0, x.n));
    val.set(x.val.subarray(0, x.n));
    idx[x.n] = D * (1 + style);
    val[x.n] = alpha;
    return { idx, val, n: x.n + 1 };
  }
  const idx = new Int32Array(2 * x.n);
  const val = new Float32Array(2 * x.n);
  const off = D * (1 + style);
  for (let i = 0; i < x.n; i++) {
    idx[i] = x.idx[i] as number;
    val[i] = x.val[i] as number;
    idx[x.n + i] = off + (x.idx[i] as number);
    val[x.n + i] = alpha * (x.val[i] as number);
  }
  return { idx, val, n: 2 * x.n };
}

export interface StyledModel {
  /** Classes' weights over 3D buckets (shared, review copy, message copy) and biases. */
  model: LinearWeights;
  /** Review-minus-message weights over the D shared buckets, and bias. */
  detector: { w: Float64Array; b: number } | undefined;
  D: number;
  K: number;
  alpha: number;
  copies: StyleOptions['copies'];
}

/** Trains the classes (with styles when enabled) and the style detector on the given rows. */
export function fitStyled(
  rows: readonly number[],
  vectors: readonly SparseVector[],
  examples: readonly Example[],
  y: Int32Array,
  weights: Float64Array,
  o: { K: number; D: number; l2: number; maxIter: number },
  so: StyleOptions,
): StyledModel {
  const { K, D } = o;
  if (!so.enabled) {
    const X = buildMatrix(rows.map((i) => vectors[i] as SparseVector));
    const model = trainLogReg(X, Int32Array.from(rows.map((i) => y[i] as number)), Float64Array.from(rows.map((i) => weights[i] as number)), { K, D, l2: o.l2, maxIter: o.maxIter });
    return { model, detector: undefined, D, K, alpha: so.alpha, copies: so.copies };
  }
  const styles = rows.map((i) => styleOfSource((examples[i] as Example).source));
  const X = buildMatrix(rows.map((i, r) => augment(vectors[i] as SparseVector, styles[r] as number, D, so.alpha, so.copies)));
  const model = trainLogReg(X, Int32Array.from(rows.map((i) => y[i] as number)), Float64Array.from(rows.map((i) => weights[i] as number)), { K, D: 3 * D, l2: o.l2, maxIter: o.maxIter });
  // The detector: reviews weigh half, and support messages the other half, of which the own
  // Indonesian lines half (reviews exist only in Indonesian: weighed by line count, the detector
  // learnt "Indonesian means review" and called half of the own Indonesian lines reviews) and the
  // other message sources the rest, equally.
  const sourceCount = new Map<string, number>();
  for (const i of rows) sourceCount.set((examples[i] as Example).source, (sourceCount.get((examples[i] as Example).source) ?? 0) + 1);
  const otherSources = [...sourceCount.keys()].filter((src) => styleOfSource(src) === 1 && src !== DETECTOR_PEER).length;
  const sw = Float64Array.from(rows, (i) => {
    const src = (examples[i] as Example).source;
    const share = styleOfSource(src) === 0 ? 0.5 : src === DETECTOR_PEER ? 0.25 : 0.25 / Math.max(1, otherSources);
    return share / (sourceCount.get(src) as number);
  });
  const det = trainLogReg(buildMatrix(rows.map((i) => vectors[i] as SparseVector)), Int32Array.from(styles), sw, { K: 2, D, l2: so.detectorL2, maxIter: o.maxIter });
  const w = new Float64Array(D);
  for (let j = 0; j < D; j++) w[j] = (det.W[j * 2] as number) - (det.W[j * 2 + 1] as number);
  return { model, detector: { w, b: (det.b[0] as number) - (det.b[1] as number) }, D, K, alpha: so.alpha, copies: so.copies };
}

/** Probability that a text is written like a review. */
export function reviewProbability(m: StyledModel, x: SparseVector): number {
  if (!m.detector) return 0;
  let z = m.detector.b;
  for (let p = 0; p < x.n; p++) z += (m.detector.w[x.idx[p] as number] as number) * (x.val[p] as number);
  return 1 / (1 + Math.exp(-z));
}

/** Logits as the classifier computes them at run time (style from the detector, never the source). */
export function styledLogits(m: StyledModel, x: SparseVector): Float64Array {
  const { K, D } = m;
  const W = m.model.W;
  const out = Float64Array.from(m.model.b);
  if (!m.detector) {
    for (let p = 0; p < x.n; p++) {
      const base = (x.idx[p] as number) * K;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (W[base + k] as number) * (x.val[p] as number);
    }
    return out;
  }
  const r = styleMix(reviewProbability(m, x));
  const DK = D * K;
  if (m.copies === 'priors') {
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + m.alpha * (r * (W[DK + k] as number) + (1 - r) * (W[2 * DK + k] as number));
    for (let p = 0; p < x.n; p++) {
      const base = (x.idx[p] as number) * K;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (W[base + k] as number) * (x.val[p] as number);
    }
    return out;
  }
  for (let p = 0; p < x.n; p++) {
    const base = (x.idx[p] as number) * K;
    const v = x.val[p] as number;
    for (let k = 0; k < K; k++) {
      const w = (W[base + k] as number) + m.alpha * (r * (W[DK + base + k] as number) + (1 - r) * (W[2 * DK + base + k] as number));
      out[k] = (out[k] as number) + w * v;
    }
  }
  return out;
}
