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
  const time = extractIncidentTime(t, ctx);
  const amounts = extractAmounts(t, ctx.language);
  const transactionIds = extractTransactionIds(t);
  const merchants = extractMerchants(t);
  const maskedDigits = extractMaskedDigits(t);
  // Keys in the order of the contract schema.
  if (time?.iso) return { amounts, transactionIds, incidentTime: time.iso, incidentTimeText: time.text, merchants, maskedDigits };
  if (time) return { amounts, transactionIds, incidentTimeText: time.text, merchants, maskedDigits };
  return { amounts, transactionIds, merchants, maskedDigits };
}

export { extractAmounts, parseNumber, chineseNumber } from './amounts';
export { extractTransactionIds } from './ids';
export { extractIncidentTime, DEFAULT_TIME_ZONES, zoneOffsetMinutes } from './time';
export { extractMerchants } from './merchants';
export { extractMaskedDigits } from './digits';
