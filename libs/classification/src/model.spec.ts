import { CATEGORIES } from '@switchboard/contracts';
import { DEFAULT_FEATURE_CONFIG, type SparseVector } from './features';
import { encodeWeights, LinearModel, styleMix, type ModelArtifact } from './model';

const K = CATEGORIES.length;
const BITS = 4;
const D = 1 << BITS;
const b64 = (a: Uint8Array | Int8Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** An artifact whose weights are exact after quantisation: every class's largest weight is 1 or -1 and the others 0. */
function artifact(W: Float64Array, style?: { alpha: number; detector: Float64Array; bias: number }): ModelArtifact {
  const enc = encodeWeights(W, K);
  const a: ModelArtifact = {
    format: 1,
    version: 'test',
    classes: [...CATEGORIES],
    features: { ...DEFAULT_FEATURE_CONFIG, bits: BITS },
    scale: enc.scale,
    rows: b64(enc.rows),
    weights: b64(enc.codes),
    bias: [0, 0, 0, 0, 0],
    temperature: 1,
    triageThreshold: 0.5,
    training: {},
  };
  if (style) {
    const det = encodeWeights(style.detector, 1);
    a.style = { styles: ['review', 'message'], alpha: style.alpha, detector: { bias: style.bias, scale: det.scale, rows: b64(det.rows), weights: b64(det.codes) } };
  }
  return a;
}

const vector = (pairs: [number, number][]): SparseVector => ({ idx: Int32Array.from(pairs.map((p) => p[0])), val: Float32Array.from(pairs.map((p) => p[1])), n: pairs.length });

describe('domain-aware weights (shared + one copy per style)', () => {
  // Bucket 1 says login in both styles (shared); bucket 2 says refund in reviews and
  // transaction_failed in messages (the copies); bucket 3 only tells the detector it is a review.
  const W = new Float64Array(3 * D * K);
  W[1 * K + 0] = 1; // shared: login
  W[D * K + 2 * K + 3] = 1; // review copy: refund
  W[2 * D * K + 2 * K + 1] = 1; // message copy: transaction_failed
  const detector = new Float64Array(D);
  detector[3] = 1;

  it('a text the detector reads as a review gets the shared weights plus alpha times the review copy', () => {
    const model = new LinearModel(artifact(W, { alpha: 2, detector, bias: -1 }));
    const x = vector([[1, 1], [2, 1], [3, 10]]);
    expect(styleMix(model.reviewProbability(x))).toBe(1);
    expect(Array.from(model.logits(x))).toEqual([1, 0, 0, 2, 0]);
    expect(model.lastReviewMix).toBe(1);
  });

  it('a text read as a message gets the message copy, and an unsure one the mix of both', () => {
    const model = new LinearModel(artifact(W, { alpha: 2, detector, bias: -10 }));
    expect(Array.from(model.logits(vector([[1, 1], [2, 1]])))).toEqual([1, 2, 0, 0, 0]);
    // Bias 0 and no detector feature: p = 0.5, so half of each copy.
    const even = new LinearModel(artifact(W, { alpha: 2, detector, bias: 0 }));
    const l = Array.from(even.logits(vector([[1, 1], [2, 1]])));
    expect(l.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 1, 0, 1, 0]);
    expect(even.lastReviewMix).toBe(0.5);
  });

  it('near-certain detections use one style only, so the hot loop reads one matrix', () => {
    expect(styleMix(0.01)).toBe(0);
    expect(styleMix(0.99)).toBe(1);
    expect(styleMix(0.3)).toBe(0.3);
  });

  it('with per-style priors only, the shared weights plus the detected style\'s prior (mixed when unsure)', () => {
    const single = new Float64Array(D * K);
    single[1 * K + 0] = 1;
    const withPriors = (bias: number): LinearModel => {
      const a = artifact(single, { alpha: 1, detector, bias });
      a.style = { ...(a.style as NonNullable<ModelArtifact['style']>), copies: 'priors', priors: [[0, 0, 0, 2, 0], [0, 2, 0, 0, 0]] };
      return new LinearModel(a);
    };
    expect(Array.from(withPriors(10).logits(vector([[1, 1]])))).toEqual([1, 0, 0, 2, 0]);
    expect(Array.from(withPriors(-10).logits(vector([[1, 1]])))).toEqual([1, 2, 0, 0, 0]);
    expect(Array.from(withPriors(0).logits(vector([[1, 1]])))).toEqual([1, 1, 0, 1, 0]);
    expect(withPriors(0).denseReview).toBeUndefined();
  });

  it('an artifact without styles keeps the single matrix and never mixes', () => {
    const single = new Float64Array(D * K);
    single[1 * K + 0] = 1;
    const model = new LinearModel(artifact(single));
    expect(model.reviewProbability(vector([[1, 1]]))).toBe(0);
    expect(Array.from(model.logits(vector([[1, 1]])))).toEqual([1, 0, 0, 0, 0]);
    expect(model.denseReview).toBeUndefined();
  });
});
