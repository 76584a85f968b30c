/**
 * Classifies JSON lines: `npm run classify -- --in FILE.jsonl` (or `--in -` / no --in for stdin).
 *
 * Each input line: {"text": "...", "subject"?: "...", "channel"?: "...", "receivedAt"?: "...",
 * "timeZone"?: "..."}. Each output line, in the same order: the Classification (category,
 * confidence, scores, language, entities, urgency, explanation, modelVersion) plus `triage`
 * (confidence below the threshold). A line that cannot be read gives {"line": n, "error": "..."}
 * and the exit code is 1. Options: --threshold 0.9.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { loadClassifier } from '../src/classifier';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file = arg('in');
  const threshold = arg('threshold');
  const classifier = loadClassifier(threshold !== undefined ? { triageThreshold: Number(threshold) } : {});
  const stream = !file || file === '-' ? process.stdin : fs.createReadStream(file, 'utf8');
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  let failed = 0;
  const out: string[] = [];
  const flush = (): void => {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  };
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    try {
      const d = JSON.parse(line) as Record<string, unknown>;
      if (typeof d !== 'object' || d === null || typeof d['text'] !== 'string') throw new Error('"text" must be a string');
      const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
      const r = classifier.classify({ text: d['text'] as string, subject: str('subject'), channel: str('channel'), receivedAt: str('receivedAt'), timeZone: str('timeZone') });
      out.push(JSON.stringify({ ...r, triage: classifier.needsTriage(r) }));
    } catch (e) {
      failed++;
      out.push(JSON.stringify({ line: n, error: e instanceof Error ? e.message : String(e) }));
    }
    if (out.length >= 256) flush();
  }
  flush();
  if (failed) {
    process.stderr.write(`${failed} line(s) could not be classified\n`);
    process.exitCode = 1;
  }
}

void main();
