/**
 * Turns agents' stored corrections into training lines.
 *
 *   node -r ./libs/classification/scripts/register.js libs/classification/scripts/export-corrections.ts \
 *     --in corrections.jsonl [--out libs/classification/data/corrections/2024-06.jsonl]
 *
 * Input: JSON lines {text, subject?, category, language?, channel?, correctedAt}. Output (stdout
 * or --out): training lines {text, subject?, label, lang?, channel?, correctedAt}. The next
 * `nx run classification:train` picks up every data/corrections/*.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { correctionsToJsonl, type StoredCorrection } from '../src/corrections';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const input = arg('in');
if (!input) {
  process.stderr.write('usage: export-corrections --in corrections.jsonl [--out file.jsonl]\n');
  process.exit(2);
}
const raw = input === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(input, 'utf8');
const corrections: StoredCorrection[] = [];
let bad = 0;
raw.split('\n').forEach((line, n) => {
  if (!line.trim()) return;
  try {
    corrections.push(JSON.parse(line) as StoredCorrection);
  } catch {
    bad++;
    process.stderr.write(`line ${n + 1}: not JSON, skipped\n`);
  }
});
const out = correctionsToJsonl(corrections);
const count = out ? out.split('\n').length : 0;
const target = arg('out');
if (target) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, out ? out + '\n' : '');
} else if (out) process.stdout.write(out + '\n');
process.stderr.write(`${count} training lines from ${corrections.length} corrections${bad ? `, ${bad} unreadable lines` : ''}\n`);
