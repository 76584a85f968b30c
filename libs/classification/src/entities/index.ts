import type { Entities, Language } from '@switchboard/contracts';
import { extractAmounts } from './amounts';
import { extractTransactionIds } from './ids';
import { extractIncidentTime } from './time';
import { extractMerchants } from './merchants';
import { extractMaskedDigits } from './digits';

export interface EntityContext {
  language: Language;
  /** The message time; relative expressions ("kemarin jam 3") resolve against it. */
  receivedAt?: Date;
  /** IANA zone for dates and times; defaults by language (see DEFAULT_TIME_ZONES). */
  timeZone?: string;
}

export function extractEntities(text: string, ctx: EntityContext): Entities {
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  const entities: Entities = {
    amounts: extractAmounts(t, ctx.language),
    transactionIds: extractTransactionIds(t),
    merchants: extractMerchants(t),
    maskedDigits: extractMaskedDigits(t),
  };
  const time = extractIncidentTime(t, ctx);
  if (time) {
    entities.incidentTimeText = time.text;
    if (time.iso) entities.incidentTime = time.iso;
  }
  return entities;
}

export { extractAmounts, parseNumber, chineseNumber } from './amounts';
export { extractTransactionIds } from './ids';
export { extractIncidentTime, DEFAULT_TIME_ZONES, zoneOffsetMinutes } from './time';
export { extractMerchants } from './merchants';
export { extractMaskedDigits } from './digits';
