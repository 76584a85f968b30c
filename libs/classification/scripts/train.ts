/**
 * Builds the classifier model from the data in the repository and writes the versioned artifact
 * `src/model/model.json`, which the library imports at start-up.
 *
 *   nx run classification:train            (or: npm run train:classifier)
 *   options: --bits 18 --l2 1e-5 --folds 5 --target-precision 0.98 --language-target-precision 0.98 --language-z 1
 *            --threshold-policy pooled --dry-run
 *            --dump-oof oof.jsonl (out-of-fold logits of every training line, for offline analysis)
 *
 * Steps: clean, detect language and featurize every training line (Banking77 train, real id/zh
 * dev, own train files, agents' corrections); k-fold cross-validation gives out-of-fold scores,
 * on which the softmax temperature and the triage thresholds (pooled, and per language) are fitted; then the final
 * model is trained on everything, quantised to int8 and written. No test split is read.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { CATEGORIES, type Category } from '@switchboard/contracts';
import { FeatureExtractor, type SparseVector } from '../src/features';
import { featurize, prepare } from '../src/pipeline';
import { encodeWeights, softmax, type ModelArtifact } from '../src/model';
import { loadDevSets, loadTrainingSet, MODEL_PATH, type Example } from './lib/data';
import { fitStyled, styledLogits, styleOptions, STYLES, type StyledModel } from './lib/styles';
import { coverageAt, formatReport, report, thresholdForPrecision, type Prediction } from './lib/metrics';
import { arg, featureConfig, sampleWeights, seededRandom, trainingOptions } from './lib/options';

const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const options = trainingOptions();
const styles = styleOptions();
const { bits, l2, maxIter, classBalance } = options;
const folds = Number(arg('folds', '5'));
const targetPrecision = Number(arg('target-precision', '0.98'));
/** Precision each language's own threshold must reach on its out-of-fold lines. */
const languageTargetPrecision = Number(arg('language-target-precision', String(targetPrecision)));
/**
 * How many standard errors below the observed precision the target must still hold (the Wilson
 * lower bound with this z; 0: the point estimate). One, as in the one-standard-error rule: 1.645
 * (one-sided 95%) cannot be reached by a language with a few hundred lines unless its most
 * confident 150 are all right.
 */
const languageZ = Number(arg('language-z', '1'));
/**
 * How out-of-fold lines are weighed when the default threshold is chosen: `pooled` (every
 * training line once, like the pooled triage target) or `languages` (en, id and zh equal, and the
 * sources within a language equal: stricter, since the small real id/zh sets then decide).
 */
const thresholdPolicy = arg('threshold-policy', 'pooled');
if (thresholdPolicy !== 'pooled' && thresholdPolicy !== 'languages') throw new Error(`--threshold-policy must be pooled or languages, got ${thresholdPolicy}`);
const SOURCE_WEIGHT = options.sourceWeights;
const K = CATEGORIES.length;
const log = (m: string): void => void process.stderr.write(m + '\n');

function main(): void {
  const t0 = Date.now();
  const config = featureConfig(options);
  const extractor = new FeatureExtractor(config);
  const D = 1 << bits;
  const examples = loadTrainingSet();
  log(`training lines: ${examples.length}`);
  const prepared = examples.map((e) => prepare(e.text, e.subject));
  const vectors: SparseVector[] = prepared.map((p) => featurize(extractor, p));
  const langs = prepared.map((p) => p.language);
  const y = Int32Array.from(examples.map((e) => CATEGORIES.indexOf(e.label)));

  const weights = sampleWeights(examples, y, options);

  // Out-of-fold lines are predicted with the style their fold's detector reads from the text.
  const fit = (rows: number[]): StyledModel => fitStyled(rows, vectors, examples, y, weights, { K, D, l2, maxIter }, styles);
  const logitsOf = (m: StyledModel, x: SparseVector): Float64Array => styledLogits(m, x);

  // Cross-validation, stratified by source and label.
  let temperature = 1;
  const temperatureByLanguage: Record<string, number> = {};
  let threshold = 0.5;
  const triageThresholdByLanguage: Record<string, number> = {};
  const summary: Record<string, unknown> = {};
  /** Out-of-fold predictions of each detected language's non-ambiguous training lines, for its threshold. */
  const languageRows = new Map<string, Prediction[]>();
  if (folds > 1) {
    const fold = new Int32Array(examples.length);
    const groups = new Map<string, number[]>();
    examples.forEach((e, i) => {
      const key = e.source + '/' + e.label;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const key of [...groups.keys()].sort()) {
      // Seeded per source and label: lines added to one source leave the folds of the others as they were.
      const random = seededRandom(key);
      const members = groups.get(key) as number[];
      for (let i = members.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [members[i], members[j]] = [members[j] as number, members[i] as number];
      }
      members.forEach((m, r) => (fold[m] = r % folds));
    }
    const oof: Float64Array[] = new Array(examples.length);
    for (let f = 0; f < folds; f++) {
      const trainRows: number[] = [];
      const testRows: number[] = [];
      for (let i = 0; i < examples.length; i++) (fold[i] === f ? testRows : trainRows).push(i);
      const m = fit(trainRows);
      for (const i of testRows) oof[i] = logitsOf(m, vectors[i] as SparseVector);
      log(`fold ${f + 1}/${folds} done (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const dump = arg('dump-oof', '');
    if (dump)
      fs.writeFileSync(
        dump,
        examples.map((e, i) => JSON.stringify({ source: e.source, label: e.label, lang: langs[i], ambiguous: e.ambiguous || e.borderline || false, logits: Array.from(oof[i] as Float64Array, (v) => round(v, 5)), text: e.text.slice(0, 200) })).join('\n') + '\n',
      );
    temperature = fitTemperature(oof, y, weights);
    // One temperature per detected language, so that a confidence means about the same in each.
    for (const lang of ['en', 'id', 'zh'] as const) {
      const rows = examples.map((_, i) => i).filter((i) => langs[i] === lang);
      if (rows.length < 100) continue;
      temperatureByLanguage[lang] = round(
        fitTemperature(rows.map((i) => oof[i] as Float64Array), Int32Array.from(rows.map((i) => y[i] as number)), Float64Array.from(rows.map((i) => weights[i] as number))),
        4,
      );
    }
    const tOf = (i: number): number => temperatureByLanguage[langs[i] as string] ?? temperature;
    // Threshold: each language counts the same, and each source the same within its language, so
    // that Banking77's size does not decide alone.
    const sourceCount = new Map<string, number>();
    for (const e of examples) sourceCount.set(e.source, (sourceCount.get(e.source) ?? 0) + 1);
    const langOfSource = (src: string): string => (src === 'banking77' ? 'en' : src.replace(/^(?:own|real|corrections)-/, ''));
    const sourcesPerLang = new Map<string, number>();
    for (const src of sourceCount.keys()) sourcesPerLang.set(langOfSource(src), (sourcesPerLang.get(langOfSource(src)) ?? 0) + 1);
    const selectionWeight = (e: Example): number =>
      1 / ((sourceCount.get(e.source) as number) * (sourcesPerLang.get(langOfSource(e.source)) as number) * sourcesPerLang.size);
    const preds: Prediction[] = examples.map((e, i) => {
      const p = softmax(oof[i] as Float64Array, tOf(i));
      let best = 0;
      for (let k = 1; k < K; k++) if ((p[k] as number) > (p[best] as number)) best = k;
      return { label: e.label, predicted: CATEGORIES[best] as Category, confidence: p[best] as number, weight: thresholdPolicy === 'pooled' ? 1 : selectionWeight(e) };
    });
    const languagesEqual = preds.map((p, i) => ({ ...p, weight: selectionWeight(examples[i] as Example) }));
    const chosen = thresholdForPrecision(preds, targetPrecision);
    const strict = thresholdForPrecision(languagesEqual, targetPrecision);
    threshold = Math.round(chosen.threshold * 1000) / 1000;
    log(`temperature ${temperature.toFixed(3)} ${JSON.stringify(temperatureByLanguage)}; threshold ${threshold} for ${targetPrecision} precision -> coverage ${(chosen.coverage * 100).toFixed(1)}% (out-of-fold, ${thresholdPolicy})`);
    log(`  with languages weighted equally the threshold would be ${strict.threshold.toFixed(3)} (coverage ${(strict.coverage * 100).toFixed(1)}%)`);
    const byLanguage: Record<string, { coverage: number; precision: number }> = {};
    for (const lang of ['en', 'id', 'zh']) {
      const at = coverageAt(languagesEqual.filter((_, i) => langOfSource((examples[i] as Example).source) === lang), threshold);
      byLanguage[lang] = { coverage: round(at.coverage), precision: round(at.precision) };
      log(`  at ${threshold}, ${lang} (sources equal): coverage ${(at.coverage * 100).toFixed(1)}% precision ${(at.precision * 100).toFixed(1)}%`);
    }
    // One threshold per detected language (the language the classifier sees at run time), each
    // reaching the target precision on its own: the language's lines pooled (each once, as for the
    // pooled threshold), ambiguous lines left out as in the targets, and the precision required
    // one standard error below what was observed (Wilson lower bound), since a language has a few
    // hundred lines, not ten thousand. The pooled threshold stays for `und`.
    for (const lang of ['en', 'id', 'zh'] as const)
      languageRows.set(lang, preds.map((p) => ({ ...p, weight: 1 })).filter((_, i) => langs[i] === lang && !(examples[i] as Example).ambiguous));
    const oofSummary: Record<string, { n: number; macroF1: number; accuracy: number }> = {};
    for (const source of [...sourceCount.keys()].sort()) {
      const sp = preds.filter((_, i) => examples[i]?.source === source);
      const r = report(sp);
      const clear = report(sp.filter((_, i) => !examples.filter((e) => e.source === source)[i]?.ambiguous));
      oofSummary[source] = { n: r.n, macroF1: round(r.macroF1), accuracy: round(r.accuracy), ...(clear.n < r.n ? { nonAmbiguousMacroF1: round(clear.macroF1) } : {}) };
      if (flag('verbose')) log(formatReport(`out-of-fold ${source}`, r, sp, threshold));
      if (arg('errors', '') === source)
        examples.forEach((e, i) => {
          const p = preds[i] as Prediction;
          if (e.source === source && p.predicted !== p.label) log(`  [${p.label} -> ${p.predicted} ${p.confidence.toFixed(2)}] ${e.text.replace(/\s+/g, ' ').slice(0, 160)}`);
        });
      else {
        const own = thresholdForPrecision(sp, targetPrecision);
        const at = coverageAt(sp, threshold);
        log(
          `  out-of-fold ${source.padEnd(12)} n=${String(r.n).padStart(5)} macro-F1 ${r.macroF1.toFixed(3)} accuracy ${r.accuracy.toFixed(3)}` +
            (clear.n < r.n ? ` (non-ambiguous n=${clear.n} macro-F1 ${clear.macroF1.toFixed(3)})` : '') +
            ` | at ${threshold}: coverage ${(at.coverage * 100).toFixed(1)}% precision ${(at.precision * 100).toFixed(1)}%` +
            ` | own threshold for ${targetPrecision}: ${own.threshold.toFixed(3)} coverage ${(own.coverage * 100).toFixed(1)}%`,
        );
      }
    }
    summary['outOfFold'] = oofSummary;
    summary['thresholdChoice'] = {
      policy: thresholdPolicy,
      targetPrecision,
      coverage: round(chosen.coverage),
      precision: round(chosen.precision),
      byLanguage,
      languagesEqualThreshold: round(strict.threshold, 3),
      languageTargetPrecision,
      languageZ,
    };
  }

  log('training the final model on all lines');
  const all = examples.map((_, i) => i);
  const model = fit(all);
  // The dev files (never trained on) join the out-of-fold lines of their language when its
  // threshold is chosen: the final model's confidence on lines it has not seen.
  const dev = loadDevSets();
  for (const set of dev) {
    const setPreds: Prediction[] = [];
    for (const e of set.examples) {
      const p = prepare(e.text, e.subject);
      const probs = softmax(logitsOf(model, featurize(extractor, p)), temperatureByLanguage[p.language] ?? temperature);
      let best = 0;
      for (let k = 1; k < K; k++) if ((probs[k] as number) > (probs[best] as number)) best = k;
      const pred: Prediction = { label: e.label, predicted: CATEGORIES[best] as Category, confidence: probs[best] as number, weight: 1 };
      setPreds.push(pred);
      languageRows.get(p.language)?.push(pred);
    }
    const r = report(setPreds);
    log(`  ${set.name} (final model, not trained on): n=${r.n} macro-F1 ${r.macroF1.toFixed(3)} accuracy ${r.accuracy.toFixed(3)}`);
  }
  // One threshold per detected language (the language the classifier sees at run time), each
  // reaching the target precision on its own: the language's lines pooled (each once, as for the
  // pooled threshold), ambiguous lines left out as in the targets, and the precision required
  // one standard error below what was observed (Wilson lower bound), since a language has a few
  // hundred lines, not ten thousand. The pooled threshold stays for `und`.
  for (const lang of ['en', 'id', 'zh'] as const) {
    const rows = languageRows.get(lang) ?? [];
    if (rows.length < 100) continue;
    const t = thresholdForPrecision(rows, languageTargetPrecision, languageZ);
    triageThresholdByLanguage[lang] = Math.ceil(t.threshold * 1000) / 1000;
    const at = coverageAt(rows, triageThresholdByLanguage[lang] as number);
    log(`  ${lang} threshold ${triageThresholdByLanguage[lang]} for ${languageTargetPrecision} precision at z=${languageZ} (detected ${lang}, n=${rows.length}, non-ambiguous out-of-fold and dev lines): coverage ${(at.coverage * 100).toFixed(1)}% precision ${(at.precision * 100).toFixed(1)}%`);
    const others = [0, 1, 1.645, 2].filter((z) => z !== languageZ).map((z) => `z=${z}: ${thresholdForPrecision(rows, languageTargetPrecision, z).threshold.toFixed(3)}`);
    log(`    (other choices: ${others.join(', ')})`);
  }
  const enc = encodeWeights(styles.enabled && styles.copies === 'priors' ? model.model.W.subarray(0, D * K) : model.model.W, K);
  const scale = enc.scale;
  const rowsB64 = Buffer.from(enc.rows).toString('base64');
  const weightsB64 = Buffer.from(enc.codes.buffer).toString('base64');
  const bias = Array.from(model.model.b, (v) => round(v, 6));
  let style: ModelArtifact['style'];
  if (model.detector && styles.copies === 'priors') {
    // Only the shared block has feature weights; each style's copy is one constant feature.
    const DK = D * K;
    const det = encodeWeights(model.detector.w, 1);
    const prior = (off: number): number[] => Array.from({ length: K }, (_, k) => round(styles.alpha * (model.model.W[off + k] as number), 6));
    style = {
      styles: STYLES,
      copies: 'priors',
      priors: [prior(DK), prior(2 * DK)],
      alpha: styles.alpha,
      detector: { bias: round(model.detector.b, 6), scale: det.scale, rows: Buffer.from(det.rows).toString('base64'), weights: Buffer.from(det.codes.buffer).toString('base64') },
    };
  } else if (model.detector) {
    const det = encodeWeights(model.detector.w, 1);
    style = {
      styles: STYLES,
      alpha: styles.alpha,
      detector: { bias: round(model.detector.b, 6), scale: det.scale, rows: Buffer.from(det.rows).toString('base64'), weights: Buffer.from(det.codes.buffer).toString('base64') },
    };
  }
  const counts: Record<string, Record<string, number>> = {};
  for (const e of examples) {
    counts[e.source] ??= {};
    (counts[e.source] as Record<string, number>)[e.label] = ((counts[e.source] as Record<string, number>)[e.label] ?? 0) + 1;
  }
  const dataHash = crypto.createHash('sha256');
  for (const e of examples) dataHash.update(`${e.source}\t${e.label}\t${e.subject ?? ''}\t${e.text}\n`);
  const hash = crypto.createHash('sha256').update(rowsB64).update(weightsB64).update(JSON.stringify([bias, scale, temperature, temperatureByLanguage, threshold, triageThresholdByLanguage, config, ...(style ? [style] : [])])).digest('hex');
  const artifact: ModelArtifact = {
    format: 1,
    version: `lr-h${bits}-${hash.slice(0, 10)}`,
    classes: [...CATEGORIES],
    features: config,
    scale,
    bias,
    temperature: round(temperature, 4),
    temperatureByLanguage,
    triageThreshold: threshold,
    triageThresholdByLanguage,
    ...(style ? { style } : {}),
    training: {
      lines: examples.length,
      countsBySource: counts,
      dataSha256: dataHash.digest('hex'),
      hyperparameters: { l2, folds, maxIter, classBalance, sourceWeights: SOURCE_WEIGHT, targetPrecision, thresholdPolicy, ...(styles.enabled ? { styles: { copies: styles.copies, alpha: styles.alpha, detectorL2: styles.detectorL2 } } : {}) },
      ...summary,
    },
    rows: rowsB64,
    weights: weightsB64,
  };
  if (flag('dry-run')) log('dry run: artifact not written');
  else {
    fs.mkdirSync(require('node:path').dirname(MODEL_PATH), { recursive: true });
    fs.writeFileSync(MODEL_PATH, JSON.stringify(artifact, null, 1) + '\n');
    log(`wrote ${MODEL_PATH} (${(fs.statSync(MODEL_PATH).size / 1024).toFixed(0)} KB), version ${artifact.version}`);
  }
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Temperature minimising the weighted log-loss of out-of-fold logits (golden-section on log T). */
function fitTemperature(logits: Float64Array[], y: Int32Array, w: Float64Array): number {
  const nll = (logT: number): number => {
    const T = Math.exp(logT);
    let s = 0;
    logits.forEach((l, i) => {
      const p = softmax(l, T);
      s -= (w[i] as number) * Math.log(Math.max(1e-12, p[y[i] as number] as number));
    });
    return s;
  };
  let a = Math.log(0.1);
  let b = Math.log(10);
  const gr = (Math.sqrt(5) - 1) / 2;
  let c = b - gr * (b - a);
  let d = a + gr * (b - a);
  for (let i = 0; i < 60; i++) {
    if (nll(c) < nll(d)) b = d;
    else a = c;
    c = b - gr * (b - a);
    d = a + gr * (b - a);
  }
  return Math.exp((a + b) / 2);
}

main();
