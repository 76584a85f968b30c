import { correctionsToJsonl, correctionsToTrainingLines } from './corrections';

describe('correctionsToTrainingLines', () => {
  it('turns corrections into training lines, latest correction winning, sorted by time', () => {
    const lines = correctionsToTrainingLines([
      { text: 'saldo kepotong tp gagal', category: 'transaction_failed', language: 'id', correctedAt: '2024-06-02T10:00:00Z', channel: 'sms' },
      { text: ' refund pls ', subject: 'Re: order 123', category: 'other', correctedAt: '2024-06-01T08:00:00Z' },
      { text: 'refund pls', subject: 'Re: order 123', category: 'refund', language: 'en', correctedAt: new Date('2024-06-03T08:00:00Z') },
    ]);
    expect(lines).toEqual([
      { text: 'saldo kepotong tp gagal', label: 'transaction_failed', lang: 'id', channel: 'sms', correctedAt: '2024-06-02T10:00:00.000Z' },
      { text: 'refund pls', subject: 'Re: order 123', label: 'refund', lang: 'en', correctedAt: '2024-06-03T08:00:00.000Z' },
    ]);
  });

  it('skips unknown categories, empty messages and invalid dates, and drops language und', () => {
    expect(
      correctionsToTrainingLines([
        { text: 'x', category: 'billing', correctedAt: '2024-06-01T00:00:00Z' },
        { text: '  ', category: 'other', correctedAt: '2024-06-01T00:00:00Z' },
        { text: 'hello', category: 'other', correctedAt: 'yesterday' },
        { text: '😡', category: 'other', language: 'und', correctedAt: '2024-06-01T00:00:00Z' },
      ]),
    ).toEqual([{ text: '😡', label: 'other', correctedAt: '2024-06-01T00:00:00.000Z' }]);
  });

  it('reads records of the classification_corrections collection (newCategory, Date)', () => {
    expect(
      correctionsToTrainingLines([
        { text: 'saldo hilang padahal gak transaksi', newCategory: 'account_security', language: 'id', channel: 'inapp', correctedAt: new Date('2024-06-05T01:00:00Z') },
        { text: 'x', newCategory: 'billing', correctedAt: new Date('2024-06-05T01:00:00Z') },
      ]),
    ).toEqual([{ text: 'saldo hilang padahal gak transaksi', label: 'account_security', lang: 'id', channel: 'inapp', correctedAt: '2024-06-05T01:00:00.000Z' }]);
  });

  it('writes JSON lines', () => {
    const jsonl = correctionsToJsonl([{ text: '退款没到账', category: 'refund', language: 'zh', correctedAt: '2024-06-01T00:00:00Z' }]);
    expect(jsonl.split('\n').map((l) => JSON.parse(l))).toEqual([{ text: '退款没到账', label: 'refund', lang: 'zh', correctedAt: '2024-06-01T00:00:00.000Z' }]);
  });
});
