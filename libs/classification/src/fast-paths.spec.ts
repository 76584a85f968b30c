import * as fc from 'fast-check';
import { fixed2, loadClassifier } from './classifier';
import { detectLanguage, MARKER_WORDS } from './language';
import { FeatureExtractor, tokenize } from './features';
import { prepare, featurize } from './pipeline';

// The fast paths must give what the plain code they replaced gave; each is checked against it.

describe('fixed2', () => {
  it('gives the digits of toFixed(2), ties and near-ties included', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (x) => fixed2(x) === x.toFixed(2)), { numRuns: 20_000 });
    for (let k = 0; k < 20_000; k++) {
      const half = (k + 0.5) / 100;
      for (const x of [half, half + 1e-12, half - 1e-12, k / 100]) expect(fixed2(x)).toBe(x.toFixed(2));
    }
    for (const x of [0, -0, 0.005, 0.015, 1.005, 2.675, 9_999_999.995, 1e7, 3e9]) expect(fixed2(x)).toBe(x.toFixed(2));
  });
});

/** The language rule as it was written first: lower-case, cut into [a-z'] runs, look each up. */
function markerCounts(text: string, id: ReadonlySet<string>, en: ReadonlySet<string>): [number, number] {
  let i = 0;
  let e = 0;
  for (const w of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    if (id.has(w)) i++;
    if (en.has(w)) e++;
  }
  return [i, e];
}

describe('detectLanguage', () => {
  it('counts marker words as lower-casing and splitting the text would, whatever the case or script', () => {
    // Words of both lists, in any case, between letters of other scripts and punctuation. İ and the
    // Kelvin sign lower-case into ASCII letters and take the slow path.
    const pieces = ['yang', 'YANG', 'Saya', 'tidak', "i'm", "DON'T", 'the', 'The', 'and', 'gak', 'refund', "'", ' ', '  ', ',', '.', '2', 'é', 'ß', 'İ', '\u212a', 'k', 'A', '😀', '退款', 'x'];
    const { id, en } = MARKER_WORDS;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const [i, e] = markerCounts(text, id, en);
        const guess = detectLanguage(text).language;
        // Only the relation of the counts decides id vs en; check it where no Han decides first.
        if (guess === 'id' || guess === 'en') expect(guess).toBe(i > e ? 'id' : e > i ? 'en' : 'id');
        else if (!text.includes('退')) expect([i, e]).toEqual([0, 0]);
      }),
      { numRuns: 3000 },
    );
    expect(detectLanguage('THE PAYMENT FAILED AND I WANT MY MONEY').language).toBe('en');
    expect(detectLanguage('SAYA TIDAK BISA LOGIN YANG KEMARIN').language).toBe('id');
    expect(detectLanguage('\u0130 the and').language).toBe('en');
  });
});

describe('shared tokens', () => {
  it('give every extractor the features it computes from a fresh token', () => {
    const texts = ['min gk bisa login, otp ga masuk2', 'refund refund REFUND please', 'saldo kepotong 150rb', '退款 refund 没到账'];
    const a = new FeatureExtractor();
    const b = new FeatureExtractor({ bits: 12, groupWeights: { word: 1, bigram: 1, char: 0.5, han: 1, cue: 1, lang: 1 }, charMin: 2, charMax: 4 });
    for (const text of texts) {
      const p = prepare(text);
      // The second tokenize returns the cached tokens, which carry keys of extractor a by then.
      const first = featurize(a, p, tokenize(p.text));
      const againA = featurize(a, p, tokenize(p.text));
      const forB = featurize(b, p, tokenize(p.text));
      const freshB = new FeatureExtractor(b.config).extract(p.text, p.language, p.cues.map((c) => c.feature), tokenize(p.text));
      expect(Array.from(againA.idx)).toEqual(Array.from(first.idx));
      expect(Array.from(againA.val)).toEqual(Array.from(first.val));
      expect(Array.from(forB.idx)).toEqual(Array.from(freshB.idx));
      expect(Array.from(forB.val)).toEqual(Array.from(freshB.val));
    }
  });

  it('classify a message the same the first time and after its words were seen', () => {
    const classifier = loadClassifier();
    const text = 'zzqx kemarin transaksi ke Tokopedia gagal tp saldo kepotong Rp150.000, tolong dicek yaa';
    const first = classifier.classify({ text, receivedAt: '2024-06-12T10:30:00Z' });
    for (let i = 0; i < 3; i++) expect(classifier.classify({ text, receivedAt: '2024-06-12T10:30:00Z' })).toEqual(first);
  });
});
