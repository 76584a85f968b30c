/**
 * Classifier benchmark: throughput and latency on short messages, model load time, memory.
 *
 *   nx run classification:bench      (node -r ./libs/classification/scripts/register.js test/bench/classification.bench.ts)
 *   options: --calls 50000
 *
 * One process, one thread: the figures are for one core. Not a jest test; it asserts nothing.
 * The classifier keeps the tokens of recent words (a bounded map), and the timed rounds repeat the
 * same messages, so their words are all known; one pass over 6,000 messages never classified
 * before (Banking77 train, real id/zh dev lines) shows the rate when new words keep coming.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(__dirname, '../..');
const argIndex = process.argv.indexOf('--calls');
const CALLS = argIndex >= 0 ? Number(process.argv[argIndex + 1]) : 50_000;

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1) + ' MB';
}

// --- load -----------------------------------------------------------------------------------
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
// A plain require, so that the import itself is timed. eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(path.join(root, 'libs/classification/src/classifier.ts')) as typeof import('../../libs/classification/src/classifier');
const t1 = performance.now();
const classifier = lib.loadClassifier();
const t2 = performance.now();
const artifactPath = path.join(root, 'libs/classification/src/model/model.json');
const t3 = performance.now();
JSON.parse(fs.readFileSync(artifactPath, 'utf8'));
const t4 = performance.now();

// --- messages: short lines from the held-out sets, all three languages ----------------------
const texts: string[] = [];
for (const f of ['own/en.test.jsonl', 'own/id.test.jsonl', 'own/zh.test.jsonl', 'real-id-zh/id-test.jsonl', 'real-id-zh/zh-test.jsonl']) {
  for (const line of fs.readFileSync(path.join(root, 'libs/classification/data', f), 'utf8').split('\n')) {
    if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
}
const b77 = fs.readFileSync(path.join(root, 'libs/classification/data/banking77/test.csv'), 'utf8').split('\n').slice(1, 1001);
for (const line of b77) {
  const m = /^"?(.*?)"?,[a-z_]+,[^,]+,(?:yes|no)$/.exec(line);
  if (m?.[1]) texts.push(m[1]);
}
const short = texts.filter((t) => t.length <= 160);
const receivedAt = '2024-06-12T10:30:00Z';
const unseen: string[] = [];
for (const f of ['real-id-zh/id-dev.jsonl', 'real-id-zh/zh-dev.jsonl']) {
  for (const line of fs.readFileSync(path.join(root, 'libs/classification/data', f), 'utf8').split('\n')) {
    if (line.trim()) unseen.push((JSON.parse(line) as { text: string }).text);
  }
}
for (const line of fs.readFileSync(path.join(root, 'libs/classification/data/banking77/train.csv'), 'utf8').split('\n').slice(1)) {
  const m = /^"?(.*?)"?,[a-z_]+,/.exec(line);
  if (m?.[1] && unseen.length < 6000) unseen.push(m[1]);
}
const unseenShort = unseen.filter((t) => t.length <= 160);

// --- run ------------------------------------------------------------------------------------
for (let i = 0; i < 3000; i++) classifier.classify({ text: short[i % short.length] as string, receivedAt });
const cpuUnseen0 = process.cpuUsage();
for (const text of unseenShort) classifier.classify({ text, receivedAt });
const cpuUnseen = process.cpuUsage(cpuUnseen0);
const unseenRate = unseenShort.length / ((cpuUnseen.user + cpuUnseen.system) / 1e6);
// Three rounds; the machine may be shared, so the CPU time of this process is measured next to
// the wall time, and the median round is reported.
const ROUNDS = 3;
const lat = new Float64Array(CALLS * ROUNDS);
const rounds: { wall: number; cpu: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const a = performance.now();
    classifier.classify({ text: short[i % short.length] as string, receivedAt });
    lat[r * CALLS + i] = performance.now() - a;
  }
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  rounds.push({ wall, cpu: (cpu.user + cpu.system) / 1000 });
}
rounds.sort((a, b) => a.wall - b.wall);
const median = rounds[Math.floor(ROUNDS / 2)] as { wall: number; cpu: number };
lat.sort();
const N = lat.length;
const q = (p: number): number => lat[Math.min(N - 1, Math.floor(p * N))] as number;
const mem = process.memoryUsage();
const avgLen = short.reduce((s, t) => s + t.length, 0) / short.length;

const rows: [string, string][] = [
  ['model', classifier.modelVersion],
  ['artifact size', (fs.statSync(artifactPath).size / 1024).toFixed(0) + ' KB'],
  ['import (TS transpile + JSON parse)', (t1 - t0).toFixed(1) + ' ms'],
  ['loadClassifier (decode weights)', (t2 - t1).toFixed(1) + ' ms'],
  ['JSON.parse of the artifact alone', (t4 - t3).toFixed(1) + ' ms'],
  ['messages', `${ROUNDS} x ${CALLS} calls over ${short.length} distinct short messages (avg ${avgLen.toFixed(0)} chars, en/id/zh)`],
  ['throughput (1 core, wall clock)', Math.round((CALLS / median.wall) * 1000).toLocaleString('en-US') + ' msgs/s (median of 3 rounds)'],
  ['throughput (per CPU-second)', Math.round((CALLS / median.cpu) * 1000).toLocaleString('en-US') + ' msgs/s'],
  ['messages never seen before', `${Math.round(unseenRate).toLocaleString('en-US')} msgs/s per CPU-second (one pass over ${unseenShort.length})`],
  ['latency p50', (q(0.5) * 1000).toFixed(1) + ' µs'],
  ['latency p99', (q(0.99) * 1000).toFixed(1) + ' µs'],
  ['latency max', (q(1) * 1000).toFixed(1) + ' µs'],
  ['heap used', mb(mem.heapUsed)],
  ['RSS', `${mb(mem.rss)} (before loading: ${mb(rssBefore)})`],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log('classification benchmark (node ' + process.version + ')');
for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
