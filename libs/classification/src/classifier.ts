import { CATEGORIES, type Category, type Classification } from '@switchboard/contracts';
import { detectLanguage } from './language';
import { cleanMessage } from './text';
import { matchCues } from './keywords';
import { extractEntities } from './entities';
import type { ClassifyInput, Classifier, LoadClassifierOptions } from './types';

const BASELINE_VERSION = 'keyword-baseline-0';
const DEFAULT_THRESHOLD = 0.5;

function toDate(value: string | Date | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function loadClassifier(options: LoadClassifierOptions = {}): Classifier {
  const triageThreshold = options.triageThreshold ?? DEFAULT_THRESHOLD;
  return {
    modelVersion: BASELINE_VERSION,
    triageThreshold,
    classify(input: ClassifyInput): Classification {
      const cleaned = cleanMessage(typeof input?.text === 'string' ? input.text : '', input?.subject);
      const { language } = detectLanguage(cleaned.text);
      const hits = matchCues(cleaned.text);
      const raw: Record<Category, number> = { login: 0, transaction_failed: 0, account_security: 0, refund: 0, other: 0.5 };
      for (const h of hits) raw[h.category] += 1;
      let z = 0;
      for (const c of CATEGORIES) z += Math.exp(raw[c] * 2);
      const scores = {} as Record<Category, number>;
      let best: Category = 'other';
      for (const c of CATEGORIES) scores[c] = Math.exp(raw[c] * 2) / z;
      for (const c of CATEGORIES) if (scores[c] > scores[best]) best = c;
      return {
        category: best,
        confidence: scores[best],
        scores,
        language,
        entities: extractEntities(cleaned.text, { language, receivedAt: toDate(input?.receivedAt) }),
        urgency: [],
        explanation: hits.filter((h) => h.category === best).map((h) => `cue:${h.name}`).slice(0, 5),
        modelVersion: BASELINE_VERSION,
      };
    },
  };
}
