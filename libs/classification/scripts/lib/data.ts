import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORIES, type Category } from '@switchboard/contracts';

export const LIB_ROOT = path.resolve(__dirname, '../..');
export const DATA_DIR = path.join(LIB_ROOT, 'data');
export const MODEL_PATH = path.join(LIB_ROOT, 'src/model/model.json');

export interface Example {
  text: string;
  subject?: string;
  channel?: string;
  receivedAt?: string;
  label: Category;
  lang?: string;
  /** Dataset the line came from, e.g. `banking77`, `real-id`, `own-zh`, `corrections`. */
  source: string;
  ambiguous?: boolean;
  borderline?: boolean;
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

export function loadBanking77(file: string): Example[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  if (!header) return [];
  const col = (name: string): number => header.indexOf(name);
  const [ti, li, bi] = [col('text'), col('label'), col('borderline')];
  return rows.map((r) => {
    const label = r[li];
    if (!isCategory(label)) throw new Error(`${file}: bad label ${String(label)}`);
    return { text: r[ti] ?? '', label, lang: 'en', source: 'banking77', borderline: r[bi] === 'yes' };
  });
}

export function loadJsonl(file: string, source: string): Example[] {
  const out: Example[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, n) => {
    if (!line.trim()) return;
    const d = JSON.parse(line) as Record<string, unknown>;
    const label = d['label'] ?? d['category'];
    if (!isCategory(label)) throw new Error(`${file}:${n + 1}: bad label ${String(label)}`);
    if (typeof d['text'] !== 'string') throw new Error(`${file}:${n + 1}: text missing`);
    out.push({
      text: d['text'],
      subject: typeof d['subject'] === 'string' ? d['subject'] : undefined,
      channel: typeof d['channel'] === 'string' ? d['channel'] : undefined,
      receivedAt: typeof d['receivedAt'] === 'string' ? d['receivedAt'] : undefined,
      label,
      lang: typeof d['lang'] === 'string' ? d['lang'] : typeof d['language'] === 'string' ? d['language'] : undefined,
      source,
      ambiguous: d['ambiguous'] === true,
    });
  });
  return out;
}

function listJsonl(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Everything training may see. Test splits are never loaded here. */
export function loadTrainingSet(dataDir = DATA_DIR): Example[] {
  const out: Example[] = [];
  out.push(...loadBanking77(path.join(dataDir, 'banking77/train.csv')));
  out.push(...loadJsonl(path.join(dataDir, 'real-id-zh/id-dev.jsonl'), 'real-id'));
  out.push(...loadJsonl(path.join(dataDir, 'real-id-zh/zh-dev.jsonl'), 'real-zh'));
  for (const lang of ['en', 'id', 'zh']) {
    const f = path.join(dataDir, `own/${lang}.train.jsonl`);
    if (fs.existsSync(f)) out.push(...loadJsonl(f, `own-${lang}`));
  }
  // Agents' corrections, grouped by language so that threshold selection can weigh them.
  for (const f of listJsonl(path.join(dataDir, 'corrections')))
    for (const e of loadJsonl(f, 'corrections')) out.push({ ...e, source: `corrections-${['en', 'id', 'zh'].includes(e.lang ?? '') ? e.lang : 'und'}` });
  return out;
}

export interface EvalSet {
  name: string;
  examples: Example[];
}

/** Held-out sets for evaluation only. */
export function loadEvalSets(dataDir = DATA_DIR): EvalSet[] {
  const sets: EvalSet[] = [{ name: 'banking77-test (en)', examples: loadBanking77(path.join(dataDir, 'banking77/test.csv')) }];
  for (const lang of ['id', 'zh']) {
    const all = loadJsonl(path.join(dataDir, `real-id-zh/${lang}-test.jsonl`), `real-${lang}`);
    sets.push({ name: `real-${lang}-test (non-ambiguous)`, examples: all.filter((e) => !e.ambiguous) });
    sets.push({ name: `real-${lang}-test (ambiguous only)`, examples: all.filter((e) => e.ambiguous) });
  }
  for (const lang of ['en', 'id', 'zh']) {
    const f = path.join(dataDir, `own/${lang}.test.jsonl`);
    if (fs.existsSync(f)) sets.push({ name: `own-${lang}-test`, examples: loadJsonl(f, `own-${lang}`) });
  }
  return sets;
}

/**
 * Development sets: written for tuning (own id dev) and the real dev splits, which are also
 * training lines (their figures are in-sample). Never a test split.
 */
export function loadDevSets(dataDir = DATA_DIR): EvalSet[] {
  const sets: EvalSet[] = [];
  for (const lang of ['en', 'id', 'zh']) {
    const f = path.join(dataDir, `own/${lang}.dev.jsonl`);
    if (fs.existsSync(f)) sets.push({ name: `own-${lang}-dev`, examples: loadJsonl(f, `own-${lang}-dev`) });
  }
  return sets;
}
