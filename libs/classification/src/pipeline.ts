import type { Language } from '@switchboard/contracts';
import { cleanMessage } from './text';
import { detectLanguage } from './language';
import { matchCues, type CueHit } from './keywords';
import { FeatureExtractor, tokenize, type SparseVector, type Tokens } from './features';

export interface Prepared {
  /** Cleaned text: subject + body without markup, quoted history or signature. */
  text: string;
  language: Language;
  cues: CueHit[];
  stripped: string[];
}

/** The steps shared by training and classification, so both see the same features. */
export function prepare(body: string, subject?: string): Prepared {
  const cleaned = cleanMessage(body, subject);
  const { language } = detectLanguage(cleaned.text);
  return { text: cleaned.text, language, cues: matchCues(cleaned.text), stripped: cleaned.stripped };
}

export function cueNames(cues: readonly CueHit[]): string[] {
  return cues.map((c) => c.feature);
}

export function featurize(extractor: FeatureExtractor, p: Prepared, tokens: Tokens = tokenize(p.text), scratch = false): SparseVector {
  return extractor.extract(p.text, p.language, cueNames(p.cues), tokens, scratch);
}
