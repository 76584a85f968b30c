import { classificationSchema } from '@switchboard/contracts';
import { loadClassifier } from './index';

describe('loadClassifier', () => {
  const classifier = loadClassifier();

  it('exposes a model version and a triage threshold', () => {
    expect(classifier.modelVersion).toMatch(/.+/);
    expect(classifier.triageThreshold).toBeGreaterThan(0);
    expect(loadClassifier({ triageThreshold: 0.7 }).triageThreshold).toBe(0.7);
  });

  it.each([
    ['gk bisa login min, otp ga masuk2', 'login', 'id'],
    ['I forgot my password and cannot log in', 'login', 'en'],
    ['转账失败了但是钱扣了', 'transaction_failed', 'zh'],
    ['akun saya di hack, saldo hilang semua', 'account_security', 'id'],
    ['when will I get my refund?', 'refund', 'en'],
  ])('classifies %j', (text, category, language) => {
    const result = classificationSchema.parse(classifier.classify({ text }));
    expect(result.category).toBe(category);
    expect(result.language).toBe(language);
  });
});
