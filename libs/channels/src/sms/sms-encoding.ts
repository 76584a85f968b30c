/**
 * How a text travels as SMS (3GPP TS 23.038 / 23.040): GSM-7 when every character is in the GSM
 * default alphabet or its extension table, UCS-2 otherwise, and into how many segments it splits.
 * The customer's operator bills, and some phones show, every segment: notification texts are kept
 * inside one or two.
 */

/** The GSM 03.38 default alphabet, in code order (0x1B, the escape to the extension table, left out). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Reached through the escape code, so each costs two septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsCharset = 'GSM-7' | 'UCS-2';

export interface SmsEncoding {
  encoding: SmsCharset;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2 (surrogate pairs count 2). */
  units: number;
  /** 0 for an empty text. */
  segments: number;
  /** What one segment holds at this length: 160/70 alone, 153/67 once the text is split (the rest is the concatenation header). */
  unitsPerSegment: number;
  /** Units still free in the last segment before another one is needed. */
  remainingInSegment: number;
  /** Distinct characters outside GSM-7, in order of appearance: what to rewrite to get back to GSM-7. */
  nonGsmCharacters: string[];
}

const LIMITS: Record<SmsCharset, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

export function smsEncoding(text: string): SmsEncoding {
  const characters = [...text];
  const nonGsm = [...new Set(characters.filter((c) => !BASIC.has(c) && !EXTENSION.has(c)))];
  const encoding: SmsCharset = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
  const cost = encoding === 'GSM-7' ? (c: string) => (EXTENSION.has(c) ? 2 : 1) : (c: string) => c.length;
  const costs = characters.map(cost);
  const units = costs.reduce((sum, c) => sum + c, 0);
  const { single, multi } = LIMITS[encoding];

  if (units <= single) {
    return { encoding, units, segments: units === 0 ? 0 : 1, unitsPerSegment: single, remainingInSegment: single - units, nonGsmCharacters: nonGsm };
  }
  // An escape sequence or a surrogate pair is never cut between two segments: it moves whole to the next.
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > multi) {
      segments += 1;
      used = 0;
    }
    used += c;
  }
  return { encoding, units, segments, unitsPerSegment: multi, remainingInSegment: multi - used, nonGsmCharacters: nonGsm };
}
