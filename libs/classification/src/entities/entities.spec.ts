import { extractAmounts, extractEntities, extractIncidentTime, extractMaskedDigits, extractMerchants, extractTransactionIds, parseNumber } from './index';

const amounts = (text: string, lang: 'en' | 'id' | 'zh' = 'id') => extractAmounts(text, lang).map((a) => [a.value, a.currency]);

describe('amounts', () => {
  it.each([
    ['saldo kepotong Rp150.000 tadi', 'id', [[150000, 'IDR']]],
    ['bayar Rp 1.500.000,50 gagal', 'id', [[1500000.5, 'IDR']]],
    ['transferred IDR 75,000 yesterday', 'en', [[75000, 'IDR']]],
    ['sudah bayar 75.000 rupiah', 'id', [[75000, 'IDR']]],
    ['kepotong 150rb', 'id', [[150000, 'IDR']]],
    ['isi 100 ribu', 'id', [[100000, 'IDR']]],
    ['topup 1,5jt ga masuk', 'id', [[1500000, 'IDR']]],
    ['saldo 2 juta hilang', 'id', [[2000000, 'IDR']]],
    ['topped up 50k via alfamart', 'en', [[50000, 'IDR']]],
    ['付款¥200失败', 'zh', [[200, 'CNY']]],
    ['付款￥88.50失败', 'zh', [[88.5, 'CNY']]],
    ['充值200元一直显示处理中', 'zh', [[200, 'CNY']]],
    ['转了500块没到', 'zh', [[500, 'CNY']]],
    ['被扣了两千元', 'zh', [[2000, 'CNY']]],
    ['paid $12.50 at Starbucks', 'en', [[12.5, 'USD']]],
    ['charged USD 12.50 twice', 'en', [[12.5, 'USD']]],
    ['refund of 45 dollars', 'en', [[45, 'USD']]],
  ] as const)('%s', (text, lang, expected) => {
    expect(amounts(text, lang)).toEqual(expected);
  });

  it('keeps the text as written and the order of appearance', () => {
    expect(extractAmounts('paid Rp 89.000 then Rp150.000', 'id')).toEqual([
      { value: 89000, currency: 'IDR', text: 'Rp 89.000' },
      { value: 150000, currency: 'IDR', text: 'Rp150.000' },
    ]);
  });

  it('does not take bare numbers, counts or phone numbers for money', () => {
    expect(amounts('order 55120981 failed 3 times, call 081234567890')).toEqual([]);
    expect(amounts('kepotong 2x, nunggu 24 jam', 'id')).toEqual([]);
  });

  it.each([
    ['150.000', 150000],
    ['75,000', 75000],
    ['1,5', 1.5],
    ['12.50', 12.5],
    ['1.500.000,50', 1500000.5],
    ['75,000.00', 75000],
  ])('parses %s', (s, v) => expect(parseNumber(s)).toBe(v));
});

describe('transaction ids', () => {
  it.each([
    ['transaction ID TRX-88213409', ['TRX-88213409']],
    ['order 55120981 gagal', ['55120981']],
    ['status pls, ref RF-20240611-8891', ['RF-20240611-8891']],
    ['ID transaksi 2406118832', ['2406118832']],
    ['No. referensi: 2405110098123', ['2405110098123']],
    ['cek no pesanan 88123 dong', ['88123']],
    ['交易号：2024061512345678。', ['2024061512345678']],
    ['订单号：JD20240601889', ['JD20240601889']],
    ['查一下退款进度，单号RF20240612', ['RF20240612']],
    ['Reference TRX20240511ABC, invoice INV-55612', ['TRX20240511ABC', 'INV-55612']],
  ])('%s', (text, ids) => expect(extractTransactionIds(text)).toEqual(ids));

  it('ignores phone numbers and short numbers', () => {
    expect(extractTransactionIds('no 081234567890, order 12')).toEqual([]);
  });
});

describe('masked digits', () => {
  it.each([
    ['my card ending 4432 is with me', ['*4432']],
    ['number ends with 3390', ['*3390']],
    ['no hp akhiran 8812', ['*8812']],
    ['kartu saya 4 digit terakhir 1234', ['*1234']],
    ['尾号8821的卡', ['*8821']],
    ['card **** 1234', ['****1234']],
    ['nomor 0812****5678', ['0812****5678']],
    ['+62 812-xxxx-4411', ['+62812****4411']],
    ['kartu xxxx xxxx xxxx 9876', ['************9876']],
  ])('%s', (text, expected) => expect(extractMaskedDigits(text)).toEqual(expected));
});

describe('merchants', () => {
  it.each([
    ['Paid $12.50 at Starbucks, payment failed', ['Starbucks']],
    ['bayar tokped gagal terus', ['Tokopedia']],
    ['topup via alfamart ga masuk', ['Alfamart']],
    ['payments to some merchant called \'XYZ Games\'', ['XYZ Games']],
    ['I paid at Kopi Kenangan and it failed', ['Kopi Kenangan']],
    ['saya bayar di Warung Bu Sri pakai QR', ['Warung Bu Sri']],
    ['我昨天下午在全家便利店付款35元', ['FamilyMart']],
    ['在星巴克付款失败', ['Starbucks']],
    ['在楼下小卖部付款失败', ['楼下小卖部']],
  ])('%s', (text, expected) => expect(extractMerchants(text)).toEqual(expected));

  it('does not take banks or places for merchants', () => {
    expect(extractMerchants('transfer to BCA failed, I am in Jakarta')).toEqual([]);
  });
});

describe('incident time', () => {
  // 2024-06-12 10:30 UTC = 17:30 in Jakarta (UTC+7) = 18:30 in Shanghai (UTC+8); a Wednesday.
  const receivedAt = new Date('2024-06-12T10:30:00Z');
  const at = (text: string, language: 'en' | 'id' | 'zh', timeZone?: string) => extractIncidentTime(text, { language, receivedAt, timeZone });

  it.each([
    ['kemarin jam 3 saldo kepotong', 'id', '2024-06-11T15:00:00+07:00', 'kemarin jam 3'],
    ['Kemarin jam 3 sore saya bayar', 'id', '2024-06-11T15:00:00+07:00', 'Kemarin jam 3 sore'],
    ['tadi pagi top up belum masuk', 'id', '2024-06-12T09:00:00+07:00', 'tadi pagi'],
    ['transfer pukul 16.30 kemarin', 'id', '2024-06-11T16:30:00+07:00', 'pukul 16.30 kemarin'],
    ['2 hari lalu saya transfer', 'id', '2024-06-10T00:00:00+07:00', '2 hari lalu'],
    ['dibatalkan tanggal 12 Juni', 'id', '2024-06-12T00:00:00+07:00', 'tanggal 12 Juni'],
    ['semalem masih ada', 'id', '2024-06-11T21:00:00+07:00', 'semalem'],
    ['jam 8 malam saldo hilang', 'id', '2024-06-11T20:00:00+07:00', 'jam 8 malam'],
    ['昨天下午付款失败', 'zh', '2024-06-11T15:00:00+08:00', '昨天下午'],
    ['昨天下午4点45分转账', 'zh', '2024-06-11T16:45:00+08:00', '昨天下午4点45分'],
    ['今天凌晨2点有一笔转账', 'zh', '2024-06-12T02:00:00+08:00', '今天凌晨2点'],
    ['三天前充值的', 'zh', '2024-06-09T00:00:00+08:00', '三天前'],
    ['6月3日被扣了两次', 'zh', '2024-06-03T00:00:00+08:00', '6月3日'],
    ['2024年5月20日的订单', 'zh', '2024-05-20T00:00:00+08:00', '2024年5月20日'],
    ['pending since yesterday 5pm', 'en', '2024-06-11T17:00:00+07:00', 'yesterday 5pm'],
    ['on 12 May at around 14:20', 'en', '2024-05-12T14:20:00+07:00', 'on 12 May at around 14:20'],
    ['on May 2nd, 2023 I paid', 'en', '2023-05-02T00:00:00+07:00', 'May 2nd, 2023'],
    ['stolen an hour ago', 'en', '2024-06-12T16:30:00+07:00', 'an hour ago'],
    ['paid on 2024-06-01 at 09:15', 'en', '2024-06-01T09:15:00+07:00', '2024-06-01 at 09:15'],
    ['transfer on 05/06/2024', 'en', '2024-06-05T00:00:00+07:00', 'on 05/06/2024'],
    ['last Monday my card was declined', 'en', '2024-06-10T00:00:00+07:00', 'last Monday'],
    ['上周一付款的', 'zh', '2024-06-03T00:00:00+08:00', '上周一'],
  ] as const)('%s', (text, lang, iso, span) => {
    expect(at(text, lang)).toEqual({ iso, text: span });
  });

  it('reads a time with no day as today, or yesterday when it is later than the message', () => {
    expect(at('top up jam 10 belum masuk', 'id')?.iso).toBe('2024-06-12T10:00:00+07:00');
    expect(at('top up jam 21 belum masuk', 'id')?.iso).toBe('2024-06-11T21:00:00+07:00');
  });

  it('puts a date without a year in the past', () => {
    expect(at('paid on 20 December', 'en')?.iso).toBe('2023-12-20T00:00:00+07:00');
  });

  it('uses the time zone given instead of the language default', () => {
    expect(at('yesterday 5pm', 'en', 'UTC')?.iso).toBe('2024-06-11T17:00:00+00:00');
    expect(at('yesterday 5pm', 'en', 'Europe/Berlin')?.iso).toBe('2024-06-11T17:00:00+02:00');
  });

  it('keeps the text but no instant when there is no message time', () => {
    expect(extractIncidentTime('kemarin jam 3', { language: 'id' })).toEqual({ text: 'kemarin jam 3' });
    expect(extractIncidentTime('on 12 May 2024 at 14:20', { language: 'en' })?.iso).toBe('2024-05-12T14:20:00+07:00');
  });

  it('does not read durations or counts as times', () => {
    expect(at('refund 3-5 business days, waited 24 jam, 2x', 'en')).toBeUndefined();
    expect(at('有一点问题', 'zh')).toBeUndefined();
  });
});

describe('extractEntities', () => {
  it('fills every field for a detailed complaint', () => {
    const e = extractEntities('Kemarin jam 3 sore saya bayar di Indomaret Rp75.000 tapi gagal. ID transaksi 2406118832, kartu akhiran 4432', {
      language: 'id',
      receivedAt: new Date('2024-06-12T10:30:00Z'),
    });
    expect(e).toEqual({
      amounts: [{ value: 75000, currency: 'IDR', text: 'Rp75.000' }],
      transactionIds: ['2406118832'],
      incidentTime: '2024-06-11T15:00:00+07:00',
      incidentTimeText: 'Kemarin jam 3 sore',
      merchants: ['Indomaret'],
      maskedDigits: ['*4432'],
    });
  });
});
