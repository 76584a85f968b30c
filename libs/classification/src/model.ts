import { CATEGORIES, type Category } from '@switchboard/contracts';
import { FeatureExtractor, type FeatureConfig, type SparseVector } from './features';

/** The committed model artifact (`model/model.json`), as written by `scripts/train.ts`. */
export interface ModelArtifact {
  format: 1;
  version: string;
  classes: Category[];
  features: FeatureConfig;
  /**
   * Weights are stored sparsely: `rows` is base64 of the LEB128-varint deltas of the buckets that
   * have a non-zero weight, `weights` base64 of K int8 codes per such bucket. A code q decodes to
   * sign(q) * (|q| / 127)^2 * scale[k] (square-law companding keeps small weights apart).
   */
  scale: number[];
  rows: string;
  weights: string;
  bias: number[];
  /** Softmax temperature fitted on out-of-fold predictions of the training data. */
  temperature: number;
  /** Temperature per detected language (en, id, zh), when there was enough data to fit one. */
  temperatureByLanguage?: Partial<Record<string, number>>;
  /** Default triage threshold chosen on out-of-fold predictions (pooled); used for languages without their own. */
  triageThreshold: number;
  /**
   * Triage threshold per detected language (en, id, zh): the lowest confidence at which that
   * language's out-of-fold predictions reach the target precision, so each language gets it.
   */
  triageThresholdByLanguage?: Partial<Record<string, number>>;
  /**
   * Domain-aware weights (Daumé 2007), when present: `rows`/`weights` then cover 3 × 2^bits
   * buckets, the shared copy of every feature and one copy per writing style (`styles[0]`
   * reviews, `styles[1]` support messages), whose input value was `alpha` times the shared one.
   * The style is never given: `detector` (logistic, one weight per bucket of the shared features)
   * reads it from the text, and its probability mixes the two styles' logits (see styleMix).
   */
  style?: StyleArtifact;
  training: Record<string, unknown>;
}

export interface StyleArtifact {
  styles: [string, string];
  /**
   * `priors`: only a class prior per style (`priors[s]`, alpha folded in) and `rows`/`weights`
   * cover the 2^bits shared buckets; otherwise every feature has a copy per style.
   */
  copies?: 'features' | 'priors';
  priors?: [number[], number[]];
  alpha: number;
  /** Review-vs-message logit: bias, and weights stored like the model's with one class. */
  detector: { bias: number; scale: number[]; rows: string; weights: string };
}

/**
 * Weight of the first style's logits given the detector's probability of it. Near-certain
 * detections are rounded to one style so that the hot loop reads one matrix, not two; training
 * and the proxies predict through the same function.
 */
export function styleMix(pFirst: number): number {
  return pFirst < 0.02 ? 0 : pFirst > 0.98 ? 1 : pFirst;
}

function decodeBase64(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') {
    const buf = Buffer.from(b64, 'base64');
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function dequantise(q: number, scale: number): number {
  const a = Math.abs(q) / 127;
  return Math.sign(q) * a * a * scale;
}

export function quantise(w: number, scale: number): number {
  if (scale <= 0) return 0;
  return Math.sign(w) * Math.min(127, Math.round(Math.sqrt(Math.abs(w) / scale) * 127));
}

/** Dense int8 codes (bucket-major) and one 256-entry dequantisation table per class. */
function decodeWeights(artifact: Pick<ModelArtifact, 'scale' | 'rows' | 'weights'>, K: number, D: number): { q: Int8Array; table: Float32Array; dense: Float32Array } {
  const rows = decodeBase64(artifact.rows);
  const codes = decodeBase64(artifact.weights);
  const q = new Int8Array(D * K);
  const dense = new Float32Array(D * K);
  const table = new Float32Array(K * 256);
  artifact.scale.forEach((s, k) => {
    for (let b = 0; b < 256; b++) table[k * 256 + b] = dequantise(b > 127 ? b - 256 : b, s);
  });
  let bucket = -1;
  let r = 0;
  for (let i = 0; i < rows.length; ) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = rows[i++] as number;
      delta |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    bucket += delta;
    if (bucket >= D || (r + 1) * K > codes.length) throw new Error('model weights are corrupt');
    for (let k = 0; k < K; k++) {
      const code = codes[r * K + k] as number;
      q[bucket * K + k] = code << 24 >> 24;
      dense[bucket * K + k] = table[(k << 8) | code] as number;
    }
    r++;
  }
  if (r * K !== codes.length) throw new Error('model weights are corrupt');
  return { q, table, dense };
}

/** Inverse of decodeWeights, used by the training script. */
export function encodeWeights(W: Float64Array, K: number): { rows: Uint8Array; codes: Int8Array; scale: number[] } {
  const D = W.length / K;
  const scale: number[] = [];
  for (let k = 0; k < K; k++) {
    let max = 0;
    for (let j = 0; j < D; j++) max = Math.max(max, Math.abs(W[j * K + k] as number));
    scale.push(Number((max || 1).toPrecision(8)));
  }
  const rowBytes: number[] = [];
  const codes: number[] = [];
  let last = -1;
  for (let j = 0; j < D; j++) {
    const q = scale.map((s, k) => quantise(W[j * K + k] as number, s));
    if (q.every((v) => v === 0)) continue;
    let delta = j - last;
    last = j;
    do {
      let b = delta & 0x7f;
      delta >>>= 7;
      if (delta) b |= 0x80;
      rowBytes.push(b);
    } while (delta);
    codes.push(...q);
  }
  return { rows: Uint8Array.from(rowBytes), codes: Int8Array.from(codes), scale };
}

export class LinearModel {
  readonly extractor: FeatureExtractor;
  readonly classes: Category[];
  readonly K: number;
  private readonly q: Int8Array;
  private readonly table: Float32Array;
  /**
   * The weights dequantised once at load, bucket-major (D*K floats, 1.3 MB at 16 bits): the hot
   * loop is then one multiply-add per feature and class, with no table lookup.
   */
  readonly dense: Float32Array;
  private readonly bias: Float64Array;
  readonly temperature: number;
  /**
   * With styles: `dense` is the message style's matrix (shared + its copy), `denseReview` the
   * review style's, `detector` the style detector's weights (D floats) and bias.
   */
  readonly denseReview?: Float32Array;
  private readonly detector?: Float32Array;
  private readonly detectorBias: number = 0;
  /** Per-style class priors (review, message), with `copies: 'priors'`. */
  private readonly priors?: [Float64Array, Float64Array];
  /** Weight of the review style in the last `logits` call (0 without styles). */
  lastReviewMix = 0;

  constructor(readonly artifact: ModelArtifact) {
    if (artifact.format !== 1) throw new Error(`unsupported model format ${String(artifact.format)}`);
    this.extractor = new FeatureExtractor(artifact.features);
    this.classes = artifact.classes;
    this.K = this.classes.length;
    const D = 1 << artifact.features.bits;
    const style = artifact.style;
    const priorsOnly = style?.copies === 'priors';
    const { q, table, dense } = decodeWeights(artifact, this.K, style && !priorsOnly ? 3 * D : D);
    this.q = q;
    this.table = table;
    if (style && priorsOnly) {
      const [review, message] = style.priors ?? [[], []];
      if (review.length !== this.K || message.length !== this.K) throw new Error('model style priors are corrupt');
      this.dense = dense;
      this.priors = [Float64Array.from(review), Float64Array.from(message)];
      this.detector = decodeWeights(style.detector, 1, D).dense;
      this.detectorBias = style.detector.bias;
    } else if (style) {
      // Folded once at load: each style's matrix is the shared weights plus alpha times its copy.
      const DK = D * this.K;
      const review = new Float32Array(DK);
      const message = new Float32Array(DK);
      for (let j = 0; j < DK; j++) {
        review[j] = (dense[j] as number) + style.alpha * (dense[DK + j] as number);
        message[j] = (dense[j] as number) + style.alpha * (dense[2 * DK + j] as number);
      }
      this.dense = message;
      this.denseReview = review;
      this.detector = decodeWeights(style.detector, 1, D).dense;
      this.detectorBias = style.detector.bias;
    } else this.dense = dense;
    this.bias = Float64Array.from(artifact.bias);
    this.temperature = artifact.temperature;
    for (const c of this.classes) if (!CATEGORIES.includes(c)) throw new Error(`unknown class ${c}`);
  }

  /**
   * Raw decision values (logits before temperature). When `contributions` is given it receives
   * each feature's contribution to each class: contributions[i * K + k].
   */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.K), contributions?: Float32Array): Float64Array {
    const priors = this.priors;
    if (priors !== undefined) {
      const r = styleMix(this.reviewProbability(x));
      this.lastReviewMix = r;
      this.logitsWith(this.dense, x, out, contributions);
      for (let k = 0; k < this.K; k++) out[k] = (out[k] as number) + r * (priors[0][k] as number) + (1 - r) * (priors[1][k] as number);
      return out;
    }
    const review = this.denseReview;
    if (review === undefined || this.detector === undefined) return this.logitsWith(this.dense, x, out, contributions);
    const r = styleMix(this.reviewProbability(x));
    this.lastReviewMix = r;
    if (r === 0) return this.logitsWith(this.dense, x, out, contributions);
    if (r === 1) return this.logitsWith(review, x, out, contributions);
    const a = this.logitsWith(review, x, new Float64Array(this.K));
    this.logitsWith(this.dense, x, out);
    for (let k = 0; k < this.K; k++) out[k] = r * (a[k] as number) + (1 - r) * (out[k] as number);
    return out;
  }

  /** The style detector's probability that the text is written like a review (0 without styles). */
  reviewProbability(x: SparseVector): number {
    const d = this.detector;
    if (d === undefined) return 0;
    let z = this.detectorBias;
    for (let i = 0; i < x.n; i++) z += (d[x.idx[i] as number] as number) * (x.val[i] as number);
    return 1 / (1 + Math.exp(-z));
  }

  /** The weights an explanation reads: the style that weighs most in the last `logits` call. */
  explainingWeights(): Float32Array {
    return this.lastReviewMix > 0.5 && this.denseReview !== undefined ? this.denseReview : this.dense;
  }

  private logitsWith(w: Float32Array, x: SparseVector, out: Float64Array, contributions?: Float32Array): Float64Array {
    const K = this.K;
    const idx = x.idx;
    const val = x.val;
    const n = x.n;
    if (K === 5 && !contributions) {
      // The five categories unrolled into locals; the sums are the same, in the same order.
      let o0 = this.bias[0] as number, o1 = this.bias[1] as number, o2 = this.bias[2] as number, o3 = this.bias[3] as number, o4 = this.bias[4] as number;
      for (let i = 0; i < n; i++) {
        const base = (idx[i] as number) * 5;
        const v = val[i] as number;
        o0 += (w[base] as number) * v;
        o1 += (w[base + 1] as number) * v;
        o2 += (w[base + 2] as number) * v;
        o3 += (w[base + 3] as number) * v;
        o4 += (w[base + 4] as number) * v;
      }
      out[0] = o0;
      out[1] = o1;
      out[2] = o2;
      out[3] = o3;
      out[4] = o4;
      return out;
    }
    for (let k = 0; k < K; k++) out[k] = this.bias[k] as number;
    for (let i = 0; i < n; i++) {
      const base = (idx[i] as number) * K;
      const v = val[i] as number;
      for (let k = 0; k < K; k++) {
        const c = (w[base + k] as number) * v;
        out[k] = (out[k] as number) + c;
        if (contributions) contributions[i * K + k] = c;
      }
    }
    return out;
  }

  /** Weight of one bucket for class k (the message style's, with styles). */
  weight(bucket: number, k: number): number {
    return this.dense[bucket * this.K + k] as number;
  }

  /** Class probabilities for logits, with the temperature of the language; into `out` when given. */
  calibrate(logits: Float64Array, language?: string, out?: Float64Array): Float64Array {
    const t = (language !== undefined ? this.artifact.temperatureByLanguage?.[language] : undefined) ?? this.temperature;
    return softmax(logits, t, out);
  }

  probabilities(x: SparseVector, language?: string): Float64Array {
    return this.calibrate(this.logits(x), language);
  }
}

export function softmax(logits: Float64Array, temperature = 1, out: Float64Array = new Float64Array(logits.length)): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) if ((logits[k] as number) > max) max = logits[k] as number;
  let z = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp(((logits[k] as number) - max) / temperature);
    out[k] = e;
    z += e;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / z;
  return out;
}
