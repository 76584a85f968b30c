import * as fc from 'fast-check';
import { CATEGORIES, classificationSchema } from '@switchboard/contracts';
import { loadClassifier } from './index';

const classifier = loadClassifier();
const classify = (text: string, extra: Record<string, unknown> = {}) => classificationSchema.parse(classifier.classify({ text, ...extra }));

describe('loadClassifier', () => {
  it('exposes the model version and the default triage threshold from the artifact', () => {
    expect(classifier.modelVersion).toMatch(/^lr-h\d+-[0-9a-f]{10}$/);
    expect(classifier.triageThreshold).toBeGreaterThan(0);
    expect(classifier.triageThreshold).toBeLessThan(1);
  });

  it('takes a configured threshold and rejects one outside 0..1', () => {
    expect(loadClassifier({ triageThreshold: 0.7 }).triageThreshold).toBe(0.7);
    expect(() => loadClassifier({ triageThreshold: 1.5 })).toThrow(RangeError);
  });

  it('has a triage threshold per language from the artifact; und uses the default', () => {
    for (const language of ['en', 'id', 'zh'] as const) {
      expect(classifier.thresholdFor(language)).toBe(classifier.triageThresholds[language]);
      expect(classifier.thresholdFor(language)).toBeGreaterThan(0);
      expect(classifier.thresholdFor(language)).toBeLessThan(1);
    }
    expect(classifier.thresholdFor('und')).toBe(classifier.triageThreshold);
  });

  it('decides triage by the threshold of the message language', () => {
    const c = loadClassifier({ triageThresholds: { id: 0.9, en: 0.6 } });
    expect(c.needsTriage({ confidence: 0.8, language: 'id' })).toBe(true);
    expect(c.needsTriage({ confidence: 0.8, language: 'en' })).toBe(false);
    expect(c.needsTriage({ confidence: 0.9, language: 'id' })).toBe(false);
    expect(c.needsTriage({ confidence: c.triageThreshold - 0.01, language: 'und' })).toBe(true);
  });

  it('one configured threshold replaces the per-language ones; thresholds outside 0..1 are refused', () => {
    const c = loadClassifier({ triageThreshold: 0.7 });
    expect(['en', 'id', 'zh', 'und'].map((l) => c.thresholdFor(l))).toEqual([0.7, 0.7, 0.7, 0.7]);
    expect(loadClassifier({ triageThreshold: 0.7, triageThresholds: { zh: 0.9 } }).thresholdFor('zh')).toBe(0.9);
    expect(() => loadClassifier({ triageThresholds: { id: -0.1 } })).toThrow(RangeError);
  });

  it('stamps every result with the model version', () => {
    expect(classify('refund please').modelVersion).toBe(classifier.modelVersion);
  });
});

describe('categories and languages', () => {
  it.each([
    // English
    ['I forgot my password and cannot log in', 'login', 'en'],
    ['my transfer failed but the money was deducted from my balance', 'transaction_failed', 'en'],
    ['someone hacked my account and took all my money', 'account_security', 'en'],
    ['when will I get my refund for the cancelled order?', 'refund', 'en'],
    ['how do I upgrade to a premium account?', 'other', 'en'],
    // Indonesian, informal
    ['min gk bisa login, otp ga masuk2', 'login', 'id'],
    ['saldo kepotong tp transfer gagal min', 'transaction_failed', 'id'],
    ['akun saya di hack, saldo hilang semua', 'account_security', 'id'],
    ['pesanan dibatalkan tapi dana blm dikembalikan', 'refund', 'id'],
    ['ada promo cashback ga bulan ini?', 'other', 'id'],
    // Chinese, no spaces
    ['登录不上，验证码收不到', 'login', 'zh'],
    ['转账失败了但是钱扣了', 'transaction_failed', 'zh'],
    ['账号被盗了，有人把钱转走了', 'account_security', 'zh'],
    ['退款什么时候到账', 'refund', 'zh'],
    ['怎么修改头像', 'other', 'zh'],
  ] as const)('%s -> %s (%s)', (text, category, language) => {
    const r = classify(text);
    expect(r.category).toBe(category);
    expect(r.language).toBe(language);
  });

  it('handles code-switching between Indonesian and English', () => {
    const r = classify('min my balance kepotong tapi payment failed, tolong cek');
    expect(r.category).toBe('transaction_failed');
    expect(['id', 'en']).toContain(r.language);
  });

  it('gives the main request of a two-topic message', () => {
    // A failed payment with an explicit refund request is a refund.
    expect(classify('payment failed and money deducted, can I get a refund please?').category).toBe('refund');
  });

  it('returns the five scores summing to one, the confidence being the top score', () => {
    const r = classify('saldo kepotong 2x pas bayar tagihan');
    expect(Object.keys(r.scores).sort()).toEqual([...CATEGORIES].sort());
    const sum = Object.values(r.scores).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(r.confidence).toBe(Math.max(...Object.values(r.scores)));
    expect(r.scores[r.category]).toBe(r.confidence);
  });

  it('explains the decision with readable features', () => {
    const r = classify('refund saya belum masuk sudah seminggu');
    expect(r.explanation.length).toBeGreaterThan(0);
    expect(r.explanation.join(' ')).toMatch(/refund/);
    expect(r.explanation).toContain('language: id');
  });
});

describe('urgency', () => {
  it.each([
    ['someone is trying to log into my account right now, I keep getting OTPs I did not request', 'takeover_in_progress'],
    ['hp saya dicuri tadi siang, tolong blokir akun', 'stolen_device'],
    ['手机被偷了，请冻结账户', 'stolen_device'],
    ['saldo saya hilang 2jt padahal ga transaksi', 'money_lost'],
    ['我的账号被盗了，钱全被转走了', 'money_lost'],
  ] as const)('%s -> %s', (text, flag) => {
    expect(classify(text).urgency).toContain(flag);
  });

  it('raises none for a plain question', () => {
    expect(classify('how do I change the app language?').urgency).toEqual([]);
  });
});

describe('channels and formats', () => {
  const receivedAt = '2024-06-12T10:30:00Z';

  it('reads an email with subject, greeting, quoted history and signature', () => {
    const text = [
      'Dear Support,',
      '',
      'The merchant cancelled my order ORD-44129 on 3 June but the Rp 150.000 has not been refunded yet.',
      '',
      'Best regards,',
      'Siti Rahma',
      'Sent from my iPhone',
      '',
      'On Mon, 3 Jun 2024 at 10:12, Support <help@wallet.example> wrote:',
      '> I cannot log in, my password is wrong and my account is locked.',
      '> Forgot password, login OTP never arrives.',
    ].join('\n');
    const r = classify(text, { subject: 'Re: refund not received', channel: 'email', receivedAt });
    expect(r.category).toBe('refund');
    expect(r.entities.amounts).toEqual([{ value: 150000, currency: 'IDR', text: 'Rp 150.000' }]);
    expect(r.entities.transactionIds).toEqual(['ORD-44129']);
    expect(r.entities.incidentTime).toBe('2024-06-03T00:00:00+07:00');
    expect(r.explanation).toEqual(expect.arrayContaining(['removed signature']));
  });

  it('drops quoted history so an old topic does not decide', () => {
    const text = 'Still no refund after 10 days.\n\nOn 2 June, Support wrote:\n> Your account is locked after wrong PIN attempts.\n> Reset your password to log in.\n> Login OTP, forgot password, cannot log in.';
    expect(classify(text).category).toBe('refund');
  });

  it('reads an HTML-only email', () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><div>Halo,</div><p>Saya tidak bisa <b>login</b> sejak kemarin, kode OTP tidak masuk.</p>' +
      '<blockquote>pesan lama tentang refund dana</blockquote><p>Terima&nbsp;kasih</p></body></html>';
    const r = classify(html, { channel: 'email' });
    expect(r.category).toBe('login');
    expect(r.language).toBe('id');
    expect(r.explanation).toContain('removed HTML markup');
  });

  it('resolves the incident time against receivedAt in the language time zone', () => {
    expect(classify('kemarin jam 3 saldo kepotong 150rb', { receivedAt }).entities).toMatchObject({
      incidentTime: '2024-06-11T15:00:00+07:00',
      incidentTimeText: 'kemarin jam 3',
      amounts: [{ value: 150000, currency: 'IDR', text: '150rb' }],
    });
    expect(classify('昨天下午付款200元失败', { receivedAt }).entities.incidentTime).toBe('2024-06-11T15:00:00+08:00');
    expect(classify('yesterday 5pm my payment failed', { receivedAt, timeZone: 'UTC' }).entities.incidentTime).toBe('2024-06-11T17:00:00+00:00');
  });

  it('accepts receivedAt as a Date and ignores an invalid one', () => {
    expect(classify('kemarin jam 3 gagal bayar', { receivedAt: new Date(receivedAt) }).entities.incidentTime).toBe('2024-06-11T15:00:00+07:00');
    const r = classify('kemarin jam 3 gagal bayar', { receivedAt: 'not a date' });
    expect(r.entities.incidentTime).toBeUndefined();
    expect(r.entities.incidentTimeText).toBe('kemarin jam 3');
  });
});

describe('edge cases', () => {
  it('empty text: valid, no category preferred, below the threshold', () => {
    const r = classify('');
    expect(r.category).toBe('other');
    expect(r.language).toBe('und');
    expect(r.confidence).toBeLessThan(classifier.triageThreshold);
  });

  it('only emoji: valid, language und, sent to triage', () => {
    const r = classify('😡😡😡🙏');
    expect(r.language).toBe('und');
    expect(r.confidence).toBeLessThan(classifier.triageThreshold);
  });

  it('100 KB of text: classified from its beginning', () => {
    const text = 'I cannot log in to my account, the OTP never arrives. '.repeat(2000).slice(0, 100_000);
    const r = classify(text);
    expect(r.category).toBe('login');
  });

  it('pathological repetitions (long runs of mask characters, digits, markup) still classify', () => {
    for (const text of ['12 ' + 'x'.repeat(60) + '!', '*'.repeat(5000) + 'a', '1.'.repeat(5000), '<p>'.repeat(20000), 'Rp' + ' '.repeat(5000) + '1', 'hi\n'.repeat(30000)]) {
      expect(() => classificationSchema.parse(classifier.classify({ text, receivedAt: '2024-06-12T10:30:00Z' }))).not.toThrow();
    }
  });

  it('a subject alone is enough', () => {
    expect(classify('', { subject: 'Refund not received' }).category).toBe('refund');
  });

  it('tolerates input that is not what the types say', () => {
    const r = classificationSchema.parse(classifier.classify({ text: null as unknown as string, receivedAt: 42 as unknown as string }));
    expect(r.category).toBe('other');
  });

  it('is deterministic', () => {
    const a = classifier.classify({ text: 'saldo kepotong tp gagal', receivedAt: '2024-06-12T10:30:00Z' });
    const b = loadClassifier().classify({ text: 'saldo kepotong tp gagal', receivedAt: '2024-06-12T10:30:00Z' });
    expect(b).toEqual(a);
  });
});

describe('schema', () => {
  it('classify never throws and always satisfies the Classification schema', () => {
    const text = fc.oneof(
      fc.string(),
      fc.fullUnicodeString({ maxLength: 300 }),
      fc.stringOf(fc.constantFrom('Rp', '150.000', 'rb', 'jt', '元', '¥', '$', ' ', 'kemarin', 'jam', '3', '昨天', '下午', '点', 'order', '#', '-', '**', '尾号', '<p>', '</p>', '&nbsp;', '\n', '> ', '--', '😡'), { maxLength: 60 }),
    );
    fc.assert(
      fc.property(
        text,
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        fc.option(fc.constantFrom('sms', 'email', 'social', 'inapp'), { nil: undefined }),
        fc.option(fc.oneof(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01') }), fc.string({ maxLength: 30 })), { nil: undefined }),
        (t, subject, channel, receivedAt) => {
          const r = classifier.classify({ text: t, subject, channel, receivedAt });
          expect(() => classificationSchema.parse(r)).not.toThrow();
        },
      ),
      { numRuns: 400, seed: 42 },
    );
  });
});
