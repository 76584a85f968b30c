import type { Language } from '@switchboard/contracts';
import { canonical } from './normalize';

/**
 * Hashed sparse features of a message:
 *  - Latin words after slang normalisation (`w:`), and word bigrams (`b:`),
 *  - character 3–5-grams of each Latin word as written, inside word boundaries (`c:`), for typos
 *    and inflections ("dikembalikan", "refunded"),
 *  - Han character 1–3-grams (`h:`), since Chinese is written without spaces,
 *  - hand-written cue patterns that matched (`cue:`), and the detected language (`lang:`).
 * Feature strings are never built on the fast path: each feature is an FNV-1a hash fed character
 * by character, finished with a murmur3 mix, and reduced to `2^bits` buckets.
 * Values are 1 + ln(count), and the vector is L2-normalised.
 */

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Scale of each feature group before normalisation. */
  groupWeights: { word: number; bigram: number; char: number; han: number; cue: number; lang: number };
  /** Lengths of the character n-grams of Latin words (default 3–5). */
  charMin?: number;
  charMax?: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  bits: 16,
  groupWeights: { word: 1, bigram: 1, char: 0.5, han: 1, cue: 1, lang: 1 },
};

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
  n: number;
}

export type Tokens = ReturnType<typeof tokenize>;

const FNV_OFFSET = 0x811c9dc5;
const G_WORD = 0, G_BIGRAM = 1, G_CHAR = 2, G_HAN = 3, G_CUE = 4, G_LANG = 5;
const GROUP_PREFIX = ['w:', 'b:', 'c:', 'h:', 'cue:', 'lang:'];
const SEEDS = GROUP_PREFIX.map((p) => feed(FNV_OFFSET, p));

function step(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619) >>> 0;
}

function feed(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return h;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket of a named feature, e.g. `featureIndex('w:refund', 18)`; used by explanations and tests. */
export function featureIndex(name: string, bits: number): number {
  return fmix(feed(FNV_OFFSET, name)) & ((1 << bits) - 1);
}

/** Most features one message can have; longer texts are cut (they are capped at 4,000 characters). */
export const MAX_FEATURES = 8192;

/**
 * The 1- to 3-grams of a Han run, by code point (a character outside the BMP is one, as two code
 * units): `visit` gets each gram's hash and its span in code units, grams from each start in turn.
 */
function forEachHanGram(run: string, visit: (h: number, from: number, to: number) => void): void {
  const len = run.length;
  for (let a = 0; a < len; a = next(run, a)) {
    let h = SEEDS[G_HAN] as number;
    let b = a;
    for (let k = 0; k < 3 && b < len; k++) {
      const end = next(run, b);
      for (let c = b; c < end; c++) h = step(h, run.charCodeAt(c));
      b = end;
      visit(h, a, b);
    }
  }
}

/** Where the code point at `i` ends: a surrogate pair is one, a lone surrogate is one too (as Array.from splits). */
function next(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return i + 2;
  }
  return i + 1;
}

/** 1 + ln(count) for the usual counts of a feature in one message, computed once. */
const ONE_PLUS_LOG = Float64Array.from({ length: 64 }, (_, c) => 1 + Math.log(c));

function isHan(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0xf900 && cp <= 0xfaff);
}

function isLatinWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || (c >= 0xe0 && c <= 0x24f && c !== 0xf7);
}

/** A token as the tokenizer emits it; `raw` is as written (lower-cased, elongation collapsed). */
export interface Token {
  raw: string;
  /** Normalised words (slang expanded); empty for a number. */
  words: string[];
  /**
   * The token's feature keys, kept by the extractor that computed them (tokens of common words
   * are shared between messages, see RUNS).
   */
  keys?: TokenKeys;
}

interface TokenKeys {
  owner: FeatureExtractor;
  /**
   * In one array (one typed array per token keeps the shared tokens small), for W words: the key
   * (bucket and group) of each word at [0, W), the hash state of a bigram after each word and the
   * space that follows it at [W, 2W), then the keys of the character n-grams of the token as
   * written, in the order they are pushed.
   */
  keys: Int32Array;
}

/**
 * Tokens of the runs of Latin word characters seen lately, by the run as written (lower-cased):
 * the same words recur from message to message, and cutting, normalising and hashing them again
 * is most of the cost of a short message. Tokens are never written to after they are made, so
 * sharing them changes no result. Only short runs are kept, and the map is emptied when full,
 * so its memory stays bounded (about 12 MB of heap when full of 10-character words).
 */
const RUNS = new Map<string, Token[]>();
const RUNS_MAX = 10_000;
const RUN_MAX_LENGTH = 32;

/** Lower-case, fold full-width forms, and split into Latin tokens and Han runs, in text order. */
export function tokenize(text: string): { order: (Token | string)[] } {
  const lower = (/[\u0080-\uffff]/.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  const order: (Token | string)[] = [];
  let i = 0;
  const n = lower.length;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (isLatinWordChar(c)) {
      let j = i + 1;
      while (j < n && isLatinWordChar(lower.charCodeAt(j))) j++;
      const run = lower.slice(i, j);
      if (j - i > RUN_MAX_LENGTH) splitLatin(run, order);
      else {
        let tokens = RUNS.get(run);
        if (tokens === undefined) {
          tokens = [];
          splitLatin(run, tokens);
          if (RUNS.size >= RUNS_MAX) RUNS.clear();
          RUNS.set(run, tokens);
        }
        for (let k = 0; k < tokens.length; k++) order.push(tokens[k] as Token);
      }
      i = j;
      continue;
    }
    const cp = lower.codePointAt(i) ?? c;
    if (isHan(cp)) {
      let j = i;
      while (j < n) {
        const cpj = lower.codePointAt(j) ?? 0;
        if (!isHan(cpj)) break;
        j += cpj > 0xffff ? 2 : 1;
      }
      order.push(lower.slice(i, j));
      i = j;
      continue;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return { order };
}

function collapse(s: string): string {
  // "tolonggg" -> "tolong", "pleeease" -> "please": three or more of a letter become one.
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === s.charCodeAt(i - 1) && c === s.charCodeAt(i - 2)) return s.replace(/([a-z])\1{2,}/g, '$1');
  }
  return s;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

// A number's words: none. Shared, since no one writes to a token.
const NO_WORDS: string[] = [];

/** Appends the tokens of one run of Latin word characters to `out`. */
function splitLatin(tok: string, out: (Token | string)[]): void {
  if (tok.charCodeAt(0) === 39 || tok.charCodeAt(tok.length - 1) === 39) tok = tok.replace(/^'+|'+$/g, '');
  if (!tok) return;
  let digits = 0;
  for (let i = 0; i < tok.length; i++) if (isDigitCode(tok.charCodeAt(i))) digits++;
  // Indonesian reduplication written with a 2: "masuk2" = "masuk-masuk".
  if (digits === 1 && tok.length > 2 && tok.charCodeAt(tok.length - 1) === 50 && !isDigitCode(tok.charCodeAt(tok.length - 2))) {
    const stem = tok.slice(0, -1);
    if (/^[a-z\u00e0-\u024f]{2,}$/.test(stem)) {
      tok = stem;
      digits = 0;
    }
  }
  if (digits === tok.length) out.push({ raw: tok, words: NO_WORDS, keys: undefined });
  else if (digits === 0) out.push(wordToken(tok));
  else for (const p of tok.match(/[0-9]+|[^0-9]+/g) ?? [tok]) out.push(isDigitCode(p.charCodeAt(0)) ? { raw: p, words: NO_WORDS, keys: undefined } : wordToken(p));
}

function wordToken(p0: string): Token {
  const p = collapse(p0);
  const canon = canonical(p) ?? (p.includes("'") ? canonical(p.replace(/'/g, '')) : undefined);
  return { raw: p, words: canon ?? [p.includes("'") ? p.replace(/'/g, '') : p], keys: undefined };
}

export class FeatureExtractor {
  readonly mask: number;
  private readonly idx = new Int32Array(MAX_FEATURES);
  private readonly scratchIdx = new Int32Array(MAX_FEATURES);
  private readonly scratchVal = new Float32Array(MAX_FEATURES);
  /**
   * Per feature of the last `scratch` result: 1 when it can be named for an explanation (a word,
   * phrase, Han n-gram or cue), 0 for character n-grams and the language.
   */
  readonly scratchReadable = new Uint8Array(MAX_FEATURES);
  private readonly gw: number[];
  /** Code units of the word being cut into character n-grams, with its boundary marks. */
  private chars = new Int32Array(64);
  private readonly charScratch = new Int32Array(MAX_FEATURES);

  constructor(readonly config: FeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.mask = (1 << config.bits) - 1;
    const g = config.groupWeights;
    this.gw = [g.word, g.bigram, g.char, g.han, g.cue, g.lang];
  }

  /**
   * Features of a cleaned message. `cues` are names of matched cue patterns. `tokens` may be
   * passed when the text was tokenized already. With `scratch` the result lives in buffers of
   * the extractor that the next call overwrites (no allocation; for use-and-forget callers).
   */
  extract(text: string, language: Language, cues: readonly string[], tokens: Tokens = tokenize(text), scratch = false): SparseVector {
    const idx = this.idx;
    let n = 0;
    const mask = this.mask;
    // Group is kept in the top 3 bits of the slot so that one sort merges duplicates per group.
    const push = (h: number, group: number): void => {
      if (n < MAX_FEATURES) idx[n++] = ((fmix(h) & mask) | (group << 28)) >>> 0;
    };
    const pushHan = (h: number): void => push(h, G_HAN);
    const { order } = tokens;
    const charMin = this.config.charMin ?? 3;
    const charMax = this.config.charMax ?? 5;

    let prev = -1;
    let prevBigram = 0;
    for (const item of order) {
      if (typeof item === 'string') {
        forEachHanGram(item, pushHan);
        prev = -1;
        continue;
      }
      const tok = item;
      if (tok.words.length === 0) {
        prev = -1; // numbers break bigrams but carry no feature of their own
        continue;
      }
      let keys = tok.keys;
      if (keys === undefined || keys.owner !== this) tok.keys = keys = this.tokenKeys(tok, charMin, charMax);
      const words = tok.words;
      const W = words.length;
      const tk = keys.keys;
      for (let k = 0; k < W; k++) {
        if (n < MAX_FEATURES) idx[n++] = tk[k] as number;
        if (prev !== -1) push(feed(prevBigram, words[k] as string), G_BIGRAM);
        prev = 1;
        prevBigram = tk[W + k] as number;
      }
      // Character n-grams of the word as written.
      const end = tk.length - 2 * W < MAX_FEATURES - n ? tk.length : 2 * W + MAX_FEATURES - n;
      for (let k = 2 * W; k < end; k++) idx[n++] = tk[k] as number;
    }
    for (const cue of cues) push(feed(SEEDS[G_CUE] as number, cue), G_CUE);
    push(feed(SEEDS[G_LANG] as number, language), G_LANG);

    // Merge duplicates: sort, then count runs.
    const view = idx.subarray(0, n);
    view.sort();
    const outIdx = scratch ? this.scratchIdx : new Int32Array(n);
    const outVal = scratch ? this.scratchVal : new Float32Array(n);
    let m = 0;
    let norm = 0;
    for (let a = 0; a < n; ) {
      const key = view[a] as number;
      let b = a + 1;
      while (b < n && view[b] === key) b++;
      const group = key >>> 28;
      const count = b - a;
      const v = (count < ONE_PLUS_LOG.length ? (ONE_PLUS_LOG[count] as number) : 1 + Math.log(count)) * (this.gw[group] as number);
      outIdx[m] = key & mask;
      outVal[m] = v;
      if (scratch) this.scratchReadable[m] = group === G_CHAR || group === G_LANG ? 0 : 1;
      norm += v * v;
      m++;
      a = b;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let a = 0; a < m; a++) outVal[a] = (outVal[a] as number) * inv;
    }
    return { idx: outIdx, val: outVal, n: m };
  }

  private tokenKeys(tok: Token, charMin: number, charMax: number): TokenKeys {
    const mask = this.mask;
    const W = tok.words.length;
    const chars = this.charKeys(tok.raw, charMin, charMax);
    const keys = new Int32Array(2 * W + chars);
    for (let k = 0; k < W; k++) {
      const w = tok.words[k] as string;
      keys[k] = ((fmix(feed(SEEDS[G_WORD] as number, w)) & mask) | (G_WORD << 28)) >>> 0;
      keys[W + k] = step(feed(SEEDS[G_BIGRAM] as number, w), 32);
    }
    keys.set(this.charScratch.subarray(0, chars), 2 * W);
    return { owner: this, keys };
  }

  /** Keys (bucket and group) of the character n-grams of a word as written, with boundary marks, into charScratch; returns their count. */
  private charKeys(raw: string, charMin: number, charMax: number): number {
    const L = raw.length + 2;
    let chars = this.chars;
    if (L > chars.length) this.chars = chars = new Int32Array(L * 2);
    chars[0] = 60;
    for (let i = 1; i < L - 1; i++) chars[i] = raw.charCodeAt(i - 1);
    chars[L - 1] = 62;
    const keys = this.charScratch;
    const mask = this.mask;
    let n = 0;
    for (let a = 0; a < L; a++) {
      let h = SEEDS[G_CHAR] as number;
      const end = a + charMax < L ? a + charMax : L;
      const first = a + charMin - 1;
      for (let b = a; b < end; b++) {
        h = step(h, chars[b] as number);
        if (b >= first && n < MAX_FEATURES) keys[n++] = ((fmix(h) & mask) | (G_CHAR << 28)) >>> 0;
      }
    }
    return n;
  }

  /**
   * Names of the readable features (words, phrases, Han n-grams, cues) that fall in the first
   * `count` of `buckets`, for explanations, as people read them: `word "refund"`,
   * `phrase "saldo terpotong"`, `characters "退款"`, `rule "refund"` (`cues` are `category/name`).
   * Character n-grams are not readable and are not named. The first occurrence in the text names
   * a bucket.
   */
  readable(tokens: Tokens, cues: readonly string[], buckets: ArrayLike<number>, count: number): Map<number, string> {
    const names = new Map<number, string>();
    const mask = this.mask;
    // At most four buckets are asked for: a linear scan beats building a set.
    let wanted = 0;
    for (let i = 0; i < count; i++) {
      let seen = false;
      for (let j = 0; j < i; j++) if (buckets[j] === buckets[i]) seen = true;
      if (!seen) wanted++;
    }
    const wantedBucket = (b: number): number => {
      for (let i = 0; i < count; i++) if (buckets[i] === b) return names.has(b) ? -1 : b;
      return -1;
    };
    const hit = (h: number): number => wantedBucket(fmix(h) & mask);
    let prevWord = '';
    let prev = false;
    for (const item of tokens.order) {
      // Once every bucket has a name, the rest of the text cannot change it.
      if (names.size === wanted) return names;
      if (typeof item === 'string') {
        forEachHanGram(item, (h, from, to) => {
          const bucket = hit(h);
          if (bucket >= 0) names.set(bucket, 'characters "' + item.slice(from, to) + '"');
        });
        prev = false;
        continue;
      }
      if (item.words.length === 0) {
        prev = false;
        continue;
      }
      // Word keys come first in a token's keys.
      const keys = item.keys !== undefined && item.keys.owner === this ? item.keys.keys : undefined;
      for (let k = 0; k < item.words.length; k++) {
        const w = item.words[k] as string;
        let bucket = keys !== undefined ? wantedBucket((keys[k] as number) & mask) : hit(feed(SEEDS[G_WORD] as number, w));
        if (bucket >= 0) names.set(bucket, 'word "' + w + '"');
        if (prev) {
          bucket = hit(feed(step(feed(SEEDS[G_BIGRAM] as number, prevWord), 32), w));
          if (bucket >= 0) names.set(bucket, 'phrase "' + prevWord + ' ' + w + '"');
        }
        prev = true;
        prevWord = w;
      }
    }
    for (const cue of cues) {
      const bucket = hit(feed(SEEDS[G_CUE] as number, cue));
      if (bucket >= 0) names.set(bucket, 'rule "' + cue.slice(cue.indexOf('/') + 1) + '"');
    }
    return names;
  }
}
