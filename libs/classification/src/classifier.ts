import { CATEGORIES, LANGUAGES, type Category, type Classification, type Language } from '@switchboard/contracts';
import { prepare, featurize, cueNames, type Prepared } from './pipeline';
import { tokenize, type SparseVector, type Tokens } from './features';
import { extractEntities } from './entities/index';
import { detectUrgency } from './urgency';
import { LinearModel, type ModelArtifact } from './model';
import type { ClassifyInput, Classifier, LoadClassifierOptions } from './types';
import artifactJson from './model/model.json';

const CATEGORY_COUNT = CATEGORIES.length;
const HAS_WORD = /[A-Za-z\u00c0-\u024f\u3400-\u4dbf\u4e00-\u9fff]{1}/;

// The last parsed receivedAt: a stream of messages often repeats it, and parsing costs more than the rest of the entity pass.
let lastText: string | undefined;
let lastTime = NaN;

function toDate(value: string | Date | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  let time: number;
  if (value instanceof Date) time = value.getTime();
  else if (typeof value !== 'string') return undefined;
  else if (value === lastText) time = lastTime;
  else {
    time = new Date(value).getTime();
    lastText = value;
    lastTime = time;
  }
  return Number.isNaN(time) ? undefined : new Date(time);
}

function validZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || !zone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function clamp01(v: number): number {
  return v >= 1 ? 1 : v > 0 ? v : 0;
}

export interface ClassifierInternals extends Classifier {
  readonly model: LinearModel;
}

let shared: LinearModel | undefined;

/**
 * Loads the committed model (`src/model/model.json`, imported at build time, no file I/O) and
 * returns a classifier. The model is decoded once per process and shared.
 */
export function loadClassifier(options: LoadClassifierOptions = {}): ClassifierInternals {
  shared ??= new LinearModel(artifactJson as unknown as ModelArtifact);
  return createClassifier(shared, options);
}

export function createClassifier(model: LinearModel, options: LoadClassifierOptions = {}): ClassifierInternals {
  const threshold = options.triageThreshold ?? model.artifact.triageThreshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`triageThreshold must be within 0..1, got ${String(threshold)}`);
  // One threshold given for all languages replaces the model's per-language ones.
  const thresholds: Partial<Record<Language, number>> = {
    ...(options.triageThreshold === undefined ? (model.artifact.triageThresholdByLanguage ?? {}) : {}),
    ...options.triageThresholds,
  };
  for (const [language, t] of Object.entries(thresholds))
    if (!(typeof t === 'number' && t >= 0 && t <= 1)) throw new RangeError(`triage threshold for ${language} must be within 0..1, got ${String(t)}`);
  Object.freeze(thresholds);
  const thresholdFor = (language: string): number => thresholds[language as Language] ?? threshold;
  const modelVersion = model.artifact.version;
  const logits = new Float64Array(CATEGORY_COUNT);
  const probabilities = new Float64Array(CATEGORY_COUNT);
  const classes = model.classes;
  // The scores object is built as a literal (one shape, no keyed stores) when the model's classes
  // are in the contract's order, as they are in every artifact so far.
  const contractOrder = classes.length === CATEGORY_COUNT && classes.every((c, k) => c === CATEGORIES[k]);

  return {
    model,
    modelVersion,
    triageThreshold: threshold,
    triageThresholds: thresholds,
    thresholdFor,
    needsTriage: (c) => c.confidence < thresholdFor(c.language),
    classify(input: ClassifyInput): Classification {
      const text = typeof input?.text === 'string' ? input.text : '';
      const subject = typeof input?.subject === 'string' ? input.subject : undefined;
      const prepared = prepare(text, subject);
      const tokens = tokenize(prepared.text);
      const x = featurize(model.extractor, prepared, tokens, true);
      // Nothing to read (empty, only emoji, digits or punctuation): no category is better than
      // another, so all scores are equal and the message goes to triage.
      const noWords = !HAS_WORD.test(prepared.text);
      const probs = noWords
        ? new Float64Array(CATEGORY_COUNT).fill(1 / CATEGORY_COUNT)
        : model.calibrate(model.logits(x, logits), prepared.language, probabilities);

      let best = noWords ? classes.indexOf('other') : 0;
      for (let k = 0; k < CATEGORY_COUNT; k++) if ((probs[k] as number) > (probs[best] as number)) best = k;
      let scores: Record<Category, number>;
      if (contractOrder)
        scores = {
          login: clamp01(probs[0] as number),
          transaction_failed: clamp01(probs[1] as number),
          account_security: clamp01(probs[2] as number),
          refund: clamp01(probs[3] as number),
          other: clamp01(probs[4] as number),
        };
      else {
        scores = {} as Record<Category, number>;
        for (let k = 0; k < CATEGORY_COUNT; k++) scores[classes[k] as Category] = clamp01(probs[k] as number);
      }
      const category = classes[best] as Category;
      const urgency = detectUrgency(prepared.text);
      const explanation = noWords ? ['no words to classify: sent to triage'] : explain(model, x, tokens, prepared, best);
      explanation.push(LANGUAGE_LINE[prepared.language] ?? `language: ${prepared.language}`);
      for (const s of prepared.stripped) explanation.push(`removed ${s === 'html' ? 'HTML markup' : s === 'quoted' ? 'quoted history' : 'signature'}`);
      for (const u of urgency) explanation.push(`urgency ${u.flag}: ${u.rule}`);

      return {
        category,
        confidence: clamp01(probs[best] as number),
        scores,
        language: prepared.language,
        entities: extractEntities(prepared.text, { language: prepared.language, receivedAt: toDate(input?.receivedAt), timeZone: validZone(input?.timeZone) }),
        urgency: urgency.map((u) => u.flag),
        explanation: explanation.slice(0, 20),
        modelVersion,
      };
    },
  };
}

const LANGUAGE_LINE: Partial<Record<string, string>> = Object.fromEntries(LANGUAGES.map((l) => [l, `language: ${l}`]));

const TOP = 4;
const TOP_C = new Float64Array(TOP);
const TOP_B = new Int32Array(TOP);

/**
 * The readable features that pushed the winning class most: contribution to its logit minus the
 * mean contribution to the other classes. Character n-grams are left out (not readable).
 */
function explain(model: LinearModel, x: SparseVector, tokens: Tokens, prepared: Prepared, best: number): string[] {
  // Keep the four largest contributions of readable features (character n-grams and the language
  // have no name to show) with an insertion sort into fixed arrays, no allocation per feature.
  const topC = TOP_C;
  const topB = TOP_B;
  const w = model.explainingWeights();
  const readable = model.extractor.scratchReadable;
  const idx = x.idx;
  const val = x.val;
  let size = 0;
  for (let i = 0; i < x.n; i++) {
    if (readable[i] === 0) continue;
    const bucket = idx[i] as number;
    const base = bucket * CATEGORY_COUNT;
    const own = w[base + best] as number;
    // The sum of the bucket's weights, rounded to float32 as the margin has always been computed
    // (a stored per-bucket sum, read from memory the logits had not touched, cost more than this).
    const sum = Math.fround((w[base] as number) + (w[base + 1] as number) + (w[base + 2] as number) + (w[base + 3] as number) + (w[base + 4] as number));
    // Own weight minus the mean of the other classes' weights, times the feature value.
    const c = (val[i] as number) * (own - (sum - own) / (CATEGORY_COUNT - 1));
    if (c <= 0.05 || (size === TOP && c <= (topC[TOP - 1] as number))) continue;
    let j = size < TOP ? size++ : TOP - 1;
    while (j > 0 && (topC[j - 1] as number) < c) {
      topC[j] = topC[j - 1] as number;
      topB[j] = topB[j - 1] as number;
      j--;
    }
    topC[j] = c;
    topB[j] = bucket;
  }
  if (size === 0) return [];
  const names = model.extractor.readable(tokens, cueNames(prepared.cues), topB, size);
  const category = model.classes[best] as Category;
  const out: string[] = [];
  for (let j = 0; j < size && out.length < 4; j++) {
    const bucket = topB[j] as number;
    const name = names.get(bucket);
    // Two features hashed to one bucket share one name: show it once.
    let shown = false;
    for (let i = 0; i < j; i++) if (topB[i] === bucket) shown = true;
    if (name && !shown) out.push(name + ' (+' + fixed2(topC[j] as number) + ' for ' + category + ')');
  }
  return out;
}

/**
 * `x.toFixed(2)` without its cost, for the contributions an explanation shows (0 <= x < 1e7, where
 * the product 100x is off by far less than 1e-6): the integer nearest to 100x is the one nearest
 * to the computed product, unless that lies next to a half, where toFixed itself decides.
 */
export function fixed2(x: number): string {
  const p = x * 100;
  const floor = Math.floor(p);
  const frac = p - floor;
  if (!(x >= 0 && x < 1e7) || (frac > 0.499999 && frac < 0.500001)) return x.toFixed(2);
  const k = frac > 0.5 ? floor + 1 : floor;
  const cents = k % 100;
  return (k - cents) / 100 + (cents < 10 ? '.0' : '.') + cents;
}
