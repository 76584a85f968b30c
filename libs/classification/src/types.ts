import type { Category, Classification, Language } from '@switchboard/contracts';

export interface ClassifyInput {
  text: string;
  subject?: string;
  channel?: string;
  receivedAt?: string | Date;
  /** IANA time zone for incident times; default Asia/Jakarta for id/en/und, Asia/Shanghai for zh. */
  timeZone?: string;
}

export interface Classifier {
  readonly modelVersion: string;
  /** Threshold for a language without one of its own (`und`), and the one given in the options. */
  readonly triageThreshold: number;
  /** Threshold per language; a language not listed uses `triageThreshold`. */
  readonly triageThresholds: Readonly<Partial<Record<Language, number>>>;
  classify(input: ClassifyInput): Classification;
  /** The triage threshold for a message in this language. */
  thresholdFor(language: Language | string): number;
  /** Whether a classification should go to the triage queue (confidence below its language's threshold). */
  needsTriage(classification: Pick<Classification, 'confidence' | 'language'>): boolean;
}

export interface LoadClassifierOptions {
  /** One threshold for every language, instead of the model's per-language thresholds. */
  triageThreshold?: number;
  /** Thresholds for some languages, over the model's (and over `triageThreshold`). */
  triageThresholds?: Partial<Record<Language, number>>;
}

export type { Category, Classification, Language };
