/**
 * Turns agents' corrections into training lines, read from a JSON lines file or straight from
 * MongoDB (the router's `classification_corrections` collection).
 *
 *   nx run classification:export-corrections -- --in corrections.jsonl [--out libs/classification/data/corrections/2024-06.jsonl]
 *   nx run classification:export-corrections -- --mongo-url mongodb://localhost:27017 --db switchboard [--since 2024-06-01] [--out …]
 *
 * Input records: {text, subject?, category | newCategory, language?, channel?, correctedAt}.
 * Output (stdout or --out): training lines {text, subject?, label, lang?, channel?, correctedAt},
 * sorted, the latest correction of a message winning. The next `nx run classification:train`
 * picks up every data/corrections/*.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClassificationCorrectionRepository, openMongo } from '@switchboard/persistence';
import { correctionsToJsonl, type StoredCorrection } from '../src/corrections';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fromJsonl(input: string): { corrections: StoredCorrection[]; bad: number } {
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
  return { corrections, bad };
}

async function fromMongo(url: string, dbName: string): Promise<StoredCorrection[]> {
  const connection = await openMongo({ url, dbName });
  try {
    return await new ClassificationCorrectionRepository(connection).all();
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const input = arg('in');
  const mongoUrl = arg('mongo-url');
  if (!input && !mongoUrl) {
    process.stderr.write('usage: export-corrections (--in corrections.jsonl | --mongo-url URL [--db switchboard]) [--since ISO-date] [--out file.jsonl]\n');
    process.exit(2);
  }
  const read: StoredCorrection[] = [];
  let bad = 0;
  if (input) {
    const fromFile = fromJsonl(input);
    read.push(...fromFile.corrections);
    bad = fromFile.bad;
  }
  if (mongoUrl) read.push(...(await fromMongo(mongoUrl, arg('db') ?? process.env['MONGO_DB'] ?? 'switchboard')));
  const since = arg('since');
  const sinceTime = since ? new Date(since).getTime() : Number.NEGATIVE_INFINITY;
  if (Number.isNaN(sinceTime)) throw new Error(`--since: not a date: ${since}`);
  const corrections = read.filter((c) => !(new Date(String(c.correctedAt instanceof Date ? c.correctedAt.toISOString() : c.correctedAt)).getTime() < sinceTime));
  const out = correctionsToJsonl(corrections);
  const count = out ? out.split('\n').length : 0;
  const target = arg('out');
  if (target) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out ? out + '\n' : '');
  } else if (out) process.stdout.write(out + '\n');
  process.stderr.write(`${count} training lines from ${corrections.length} corrections${bad ? `, ${bad} unreadable lines` : ''}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`export-corrections: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
