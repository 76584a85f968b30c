/**
 * Near-duplicate check of a new data file against the held-out test files, printing similarity
 * scores only: the test lines are never shown, so writing or pruning data with it does not leak
 * them. For each line of `--file`: its highest character-trigram Jaccard against the test lines of
 * `--lang` (own and real test sets), and the line itself (it is ours). Lines at or above
 * `--max` are listed as near-duplicates to drop.
 *
 *   node -r ./libs/classification/scripts/register.js libs/classification/scripts/overlap.ts --file data/own/id.dev.jsonl --lang id [--max 0.5] [--all]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_DIR, LIB_ROOT, loadJsonl } from './lib/data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

/** Set of character trigrams of the lower-cased text with runs of non-letters folded to one space. */
export function trigrams(text: string): Set<string> {
  const s = ' ' + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim() + ' ';
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  for (const g of a) if (b.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

function main(): void {
  const file = path.resolve(LIB_ROOT, arg('file', ''));
  const lang = arg('lang', 'id');
  const max = Number(arg('max', '0.5'));
  const tests = [path.join(DATA_DIR, `own/${lang}.test.jsonl`), path.join(DATA_DIR, `real-id-zh/${lang}-test.jsonl`)].filter((f) => fs.existsSync(f));
  const testGrams = tests.flatMap((f) => loadJsonl(f, 'test')).map((e) => trigrams(`${e.subject ?? ''} ${e.text}`));
  const lines = loadJsonl(file, 'new');
  const scored = lines.map((e, i) => {
    const g = trigrams(`${e.subject ?? ''} ${e.text}`);
    let best = 0;
    for (const t of testGrams) best = Math.max(best, jaccard(g, t));
    return { i: i + 1, best, text: e.text.replace(/\s+/g, ' ').slice(0, 100) };
  });
  scored.sort((a, b) => b.best - a.best);
  const all = process.argv.includes('--all');
  console.log(`${lines.length} lines of ${path.relative(LIB_ROOT, file)} against ${testGrams.length} ${lang} test lines (scores only)`);
  for (const s of scored) if (all || s.best >= max) console.log(`${s.best.toFixed(3)}  line ${s.i}: ${s.text}`);
  const bins = [0.3, 0.4, 0.5, 0.6];
  console.log('highest score per line: ' + bins.map((b) => `>= ${b}: ${scored.filter((s) => s.best >= b).length}`).join(', ') + `; max ${scored[0]?.best.toFixed(3) ?? '-'}`);
}

main();
