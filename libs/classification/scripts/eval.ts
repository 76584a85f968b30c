/**
 * Evaluates the committed model on the held-out sets and prints, per set: per-class precision,
 * recall and F1, macro-F1, accuracy, the confusion matrix, and precision/coverage at the default
 * triage threshold and at a few others.
 *
 *   nx run classification:eval            (or: npm run eval:classifier)
 *   options: --threshold 0.6 (override the default), --errors (print misclassified lines)
 */
import { type Category } from '@switchboard/contracts';
import { loadClassifier } from '../src/classifier';
import { loadEvalSets } from './lib/data';
import { coverageAt, formatReport, report, thresholdTable, type Prediction } from './lib/metrics';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const t = arg('threshold');
const classifier = loadClassifier(t !== undefined ? { triageThreshold: Number(t) } : {});
const showErrors = process.argv.includes('--errors');
console.log(`model ${classifier.modelVersion}, default triage threshold ${classifier.triageThreshold}`);

const pooled: Prediction[] = [];
const summary: string[] = [];
for (const set of loadEvalSets()) {
  const preds: Prediction[] = [];
  const errors: string[] = [];
  for (const e of set.examples) {
    const r = classifier.classify({ text: e.text, subject: e.subject, channel: e.channel });
    preds.push({ label: e.label, predicted: r.category as Category, confidence: r.confidence });
    if (showErrors && r.category !== e.label) errors.push(`  [${e.label} -> ${r.category} ${r.confidence.toFixed(2)}] ${(e.subject ? e.subject + ' | ' : '') + e.text.replace(/\s+/g, ' ').slice(0, 140)}`);
  }
  const rep = report(preds);
  console.log('\n' + formatReport(set.name, rep, preds, classifier.triageThreshold));
  if (errors.length) console.log('errors:\n' + errors.join('\n'));
  const at = coverageAt(preds, classifier.triageThreshold);
  summary.push(
    `| ${set.name} | ${rep.n} | ${rep.macroF1.toFixed(3)} | ${rep.accuracy.toFixed(3)} | ${(at.coverage * 100).toFixed(1)}% | ${(at.precision * 100).toFixed(1)}% |`,
  );
  if (!set.name.includes('ambiguous only')) pooled.push(...preds);
}
const all = coverageAt(pooled, classifier.triageThreshold);
console.log('\n=== all non-ambiguous test lines pooled (Banking77 is 85% of them): precision/coverage');
console.log(thresholdTable(pooled, classifier.triageThreshold));
console.log('\nsummary (threshold ' + classifier.triageThreshold + ')');
console.log('| set | n | macro-F1 | accuracy | auto-routed | precision on auto-routed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
console.log(summary.join('\n'));
console.log(`| all non-ambiguous test lines pooled | ${pooled.length} | ${report(pooled).macroF1.toFixed(3)} | ${report(pooled).accuracy.toFixed(3)} | ${(all.coverage * 100).toFixed(1)}% | ${(all.precision * 100).toFixed(1)}% |`);
