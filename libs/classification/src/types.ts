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
  readonly triageThreshold: number;
  classify(input: ClassifyInput): Classification;
}

export interface LoadClassifierOptions {
  /** Below this confidence the message should go to the triage queue. */
  triageThreshold?: number;
}

export type { Category, Classification, Language };
