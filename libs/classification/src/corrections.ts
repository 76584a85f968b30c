import { categorySchema, languageSchema, type Category, type Language } from '@switchboard/contracts';

/**
 * A correction an agent made, as stored by the router in `classification_corrections`
 * (`newCategory`, `correctedAt` a Date) or written by hand in a JSON lines file (`category`).
 */
export interface StoredCorrection {
  text: string;
  subject?: string;
  category?: Category | string;
  /** The stored collection's name for the agent's category; `category` wins when both are set. */
  newCategory?: Category | string;
  language?: Language | string;
  channel?: string;
  correctedAt: string | Date;
}

/** One line of the training format read by `scripts/train.ts` (`data/corrections/*.jsonl`). */
export interface TrainingLine {
  text: string;
  subject?: string;
  label: Category;
  lang?: Language;
  channel?: string;
  correctedAt: string;
}

/**
 * Turns stored corrections into training lines. Lines with an unknown category, no text or an
 * invalid date are skipped; when the same message was corrected more than once the latest
 * correction wins. The result is sorted by correction time, then text, so the output (and the
 * model trained from it) does not depend on the order the store returned.
 */
export function correctionsToTrainingLines(corrections: Iterable<StoredCorrection>): TrainingLine[] {
  const latest = new Map<string, TrainingLine>();
  for (const c of corrections) {
    if (!c || typeof c.text !== 'string') continue;
    const label = categorySchema.safeParse(c.category ?? c.newCategory);
    if (!label.success) continue;
    const at = c.correctedAt instanceof Date ? c.correctedAt : new Date(String(c.correctedAt));
    if (Number.isNaN(at.getTime())) continue;
    const subject = typeof c.subject === 'string' && c.subject.trim() ? c.subject.trim() : undefined;
    const text = c.text.trim();
    if (!text && !subject) continue;
    const lang = languageSchema.safeParse(c.language);
    const line: TrainingLine = { text, label: label.data, correctedAt: at.toISOString() };
    if (subject) line.subject = subject;
    if (lang.success && lang.data !== 'und') line.lang = lang.data;
    if (typeof c.channel === 'string' && c.channel) line.channel = c.channel;
    const key = (subject ?? '') + '\u0000' + text;
    const prev = latest.get(key);
    if (!prev || prev.correctedAt <= line.correctedAt) latest.set(key, line);
  }
  return [...latest.values()].sort((a, b) => (a.correctedAt < b.correctedAt ? -1 : a.correctedAt > b.correctedAt ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** The same as JSON lines, ready to be written to `data/corrections/<name>.jsonl`. */
export function correctionsToJsonl(corrections: Iterable<StoredCorrection>): string {
  return correctionsToTrainingLines(corrections)
    .map((l) => JSON.stringify(l))
    .join('\n');
}
