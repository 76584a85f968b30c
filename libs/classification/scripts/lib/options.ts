import * as crypto from 'node:crypto';
import { CATEGORIES } from '@switchboard/contracts';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../../src/features';
import type { Example } from './data';

/** `--name value` from the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

export interface TrainingOptions {
  bits: number;
  l2: number;
  maxIter: number;
  classBalance: number;
  /** Weight of one line per source, relative to a Banking77 line. */
  sourceWeights: Record<string, number>;
}

/** The options `train` and `proxy` share, so that the proxy measures what training would build. */
export function trainingOptions(): TrainingOptions {
  return {
    bits: Number(arg('bits', String(DEFAULT_FEATURE_CONFIG.bits))),
    l2: Number(arg('l2', '5e-6')),
    maxIter: Number(arg('iter', '300')),
    classBalance: Number(arg('class-balance', '0.5')),
    sourceWeights: {
      banking77: Number(arg('w-banking77', '1')),
      'real-id': Number(arg('w-real-id', arg('w-real', '8'))),
      'real-zh': Number(arg('w-real-zh', arg('w-real', '8'))),
      'own-en': Number(arg('w-own-en', arg('w-own', '4'))),
      'own-id': Number(arg('w-own-id', arg('w-own', '4'))),
      'own-zh': Number(arg('w-own-zh', arg('w-own', '4'))),
      corrections: Number(arg('w-corrections', '3')),
    },
  };
}

/** Feature settings (`--gw-<group>`, `--char-min`, `--char-max`, `--bits`). */
export function featureConfig(opts: TrainingOptions): FeatureConfig {
  const gw = { ...DEFAULT_FEATURE_CONFIG.groupWeights };
  for (const g of Object.keys(gw) as (keyof typeof gw)[]) gw[g] = Number(arg(`gw-${g}`, String(gw[g])));
  return { ...DEFAULT_FEATURE_CONFIG, bits: opts.bits, groupWeights: gw, charMin: Number(arg('char-min', '3')), charMax: Number(arg('char-max', '4')) };
}

export function lineWeight(e: Example, opts: TrainingOptions): number {
  let w = opts.sourceWeights[e.source.startsWith('corrections') ? 'corrections' : e.source] ?? 1;
  if (e.borderline || e.ambiguous) w *= 0.5;
  return w;
}

/** Per source, then a mild class balancing (alpha=0.5 -> inverse square root of frequency). */
export function sampleWeights(examples: readonly Example[], y: Int32Array, opts: TrainingOptions): Float64Array {
  const K = CATEGORIES.length;
  const base = Float64Array.from(examples.map((e) => lineWeight(e, opts)));
  const classMass = new Float64Array(K);
  examples.forEach((_, i) => (classMass[y[i] as number] += base[i] as number));
  const totalMass = classMass.reduce((a, b) => a + b, 0);
  const classFactor = Array.from(classMass, (m) => (m > 0 ? Math.pow(totalMass / (K * m), opts.classBalance) : 1));
  return Float64Array.from(examples.map((_, i) => (base[i] as number) * (classFactor[y[i] as number] as number)));
}

/** Deterministic PRNG (mulberry32), seeded by a key, for fold assignments. */
export function seededRandom(key: string): () => number {
  let seed = 20240601 ^ crypto.createHash('sha256').update(key).digest().readInt32LE(0);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
