import fc from 'fast-check';
import { smsEncoding } from './sms-encoding';

const GSM_BASIC_SAMPLE = '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà \n\r';
const GSM_EXTENSION = '\f^{}\\[~]|€';

describe('smsEncoding', () => {
  it('keeps plain Indonesian, English and the GSM accents in GSM-7, one septet each', () => {
    expect(smsEncoding('Tiket #1042 kami terima. Balas STOP untuk berhenti.')).toMatchObject({ encoding: 'GSM-7', units: 51, segments: 1 });
    expect(smsEncoding(GSM_BASIC_SAMPLE)).toMatchObject({ encoding: 'GSM-7', units: [...GSM_BASIC_SAMPLE].length, nonGsmCharacters: [] });
  });

  it('counts every extension-table character as two septets', () => {
    for (const c of GSM_EXTENSION) expect(smsEncoding(c)).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(smsEncoding('Rp 10.000 [refund] €5')).toMatchObject({ encoding: 'GSM-7', units: 24 });
  });

  it('switches to UCS-2 for anything outside the alphabet and says which characters did it', () => {
    expect(smsEncoding('您的工单号是 #77')).toMatchObject({ encoding: 'UCS-2', units: 10, segments: 1, nonGsmCharacters: ['您', '的', '工', '单', '号', '是'] });
    // Lower-case ç, smart quotes and the en dash look harmless and are not GSM-7.
    expect(smsEncoding('ça va')).toMatchObject({ encoding: 'UCS-2', nonGsmCharacters: ['ç'] });
    expect(smsEncoding('“ok” – fine').nonGsmCharacters).toEqual(['“', '”', '–']);
    // A bare escape code is not text.
    expect(smsEncoding('\u001b').encoding).toBe('UCS-2');
  });

  it('counts a surrogate pair (emoji) as two UTF-16 units', () => {
    expect(smsEncoding('ok 👍')).toMatchObject({ encoding: 'UCS-2', units: 5, nonGsmCharacters: ['👍'] });
    expect(smsEncoding('👍'.repeat(35))).toMatchObject({ units: 70, segments: 1, remainingInSegment: 0 });
  });

  it('fits 160 GSM-7 septets in one segment and 153 in each once split', () => {
    expect(smsEncoding('a'.repeat(160))).toMatchObject({ segments: 1, unitsPerSegment: 160, remainingInSegment: 0 });
    expect(smsEncoding('a'.repeat(161))).toMatchObject({ segments: 2, unitsPerSegment: 153, remainingInSegment: 145 });
    expect(smsEncoding('a'.repeat(306))).toMatchObject({ segments: 2, remainingInSegment: 0 });
    expect(smsEncoding('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(smsEncoding('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(smsEncoding('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
  });

  it('fits 70 UCS-2 units in one segment and 67 in each once split', () => {
    expect(smsEncoding('工'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsEncoding('工'.repeat(71))).toMatchObject({ segments: 2, unitsPerSegment: 67 });
    expect(smsEncoding('工'.repeat(134))).toMatchObject({ segments: 2, remainingInSegment: 0 });
    expect(smsEncoding('工'.repeat(135))).toMatchObject({ segments: 3 });
  });

  it('never cuts an escape sequence or a surrogate pair across two segments', () => {
    // 152 septets, then a 2-septet character: it does not fit in the first 153, so it opens segment two.
    expect(smsEncoding('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({ units: 164, segments: 2, remainingInSegment: 153 - 12 });
    expect(smsEncoding('a'.repeat(152) + '€'.repeat(77))).toMatchObject({ units: 306, segments: 3 });
    expect(smsEncoding('工'.repeat(66) + '👍' + '工')).toMatchObject({ units: 69, segments: 1 });
    expect(smsEncoding('工'.repeat(66) + '👍' + '工'.repeat(5))).toMatchObject({ units: 73, segments: 2, remainingInSegment: 67 - 7 });
  });

  it('calls the empty text zero segments', () => {
    expect(smsEncoding('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, unitsPerSegment: 160, remainingInSegment: 160, nonGsmCharacters: [] });
  });

  it('holds for any text: units fill the segments, nothing more, nothing less', () => {
    const gsmChar = fc.constantFrom(...[...GSM_BASIC_SAMPLE, ...GSM_EXTENSION]);
    const text = fc.oneof(fc.array(gsmChar, { maxLength: 700 }).map((a) => a.join('')), fc.string({ maxLength: 700, unit: 'grapheme' }));
    fc.assert(
      fc.property(text, (t) => {
        const e = smsEncoding(t);
        if (e.encoding === 'UCS-2') expect(e.units).toBe(t.length);
        if (e.segments <= 1) return e.units <= (e.encoding === 'GSM-7' ? 160 : 70);
        const capacity = e.unitsPerSegment * e.segments;
        // At most one unit per segment boundary is lost to a character that could not be cut.
        return e.units <= capacity - e.remainingInSegment && e.units >= capacity - e.remainingInSegment - (e.segments - 1) && e.units > e.unitsPerSegment;
      }),
    );
  });

  it('needs more segments, never fewer, as the text grows', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'grapheme' }), fc.string({ maxLength: 50, unit: 'grapheme' }), (a, b) => smsEncoding(a + b).segments >= smsEncoding(a).segments),
    );
  });
});
