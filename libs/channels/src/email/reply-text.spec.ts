import { stripQuotedReply } from './reply-text';

describe('stripQuotedReply', () => {
  it('drops Gmail history below "On <date>, <name> wrote:", even wrapped over two lines', () => {
    const text = [
      'Still no refund, it has been 7 days now.',
      '',
      'On Tue, 24 Nov 2026 at 10:02, Switchboard Support <support@example.com>',
      'wrote:',
      '',
      '> Thank you, your ticket number is #1042.',
      '> We will reply shortly.',
    ].join('\n');
    expect(stripQuotedReply(text)).toBe('Still no refund, it has been 7 days now.');
    expect(stripQuotedReply('Thanks!\n\nOn Mon, Nov 23, 2026 at 9:14 AM Sari <sari@mail.id> wrote:\n> hi')).toBe('Thanks!');
  });

  it('drops the Indonesian attribution "Pada <tanggal> <nama> menulis:"', () => {
    const text = 'Saldo belum kembali min, tolong dicek.\n\nPada Sel, 24 Nov 2026 pukul 10.02 Switchboard Support <support@example.com> menulis:\n> Terima kasih, nomor tiket Anda #1042.';
    expect(stripQuotedReply(text)).toBe('Saldo belum kembali min, tolong dicek.');
  });

  it('drops the Chinese attribution "在 … 写道："', () => {
    const text = '退款还没有到账，请帮忙查一下。\n\n在 2026年11月24日 10:02，Switchboard Support <support@example.com> 写道：\n> 我们已收到您的消息';
    expect(stripQuotedReply(text)).toBe('退款还没有到账，请帮忙查一下。');
  });

  it('drops Outlook\'s "-----Original Message-----" and "From: … Sent: …" blocks', () => {
    const original = 'The transfer failed again at 14:05.\r\n\r\n-----Original Message-----\r\nFrom: Switchboard Support\r\nSent: Tuesday, November 24, 2026 10:02 AM\r\nSubject: We received your message\r\n\r\nYour ticket number is #1042.';
    expect(stripQuotedReply(original)).toBe('The transfer failed again at 14:05.');
    const block = [
      'Please close the ticket, it works now.',
      '',
      '________________________________',
      'From: Switchboard Support <support@example.com>',
      'Sent: Tuesday, November 24, 2026 10:02',
      'To: John <john@example.org>',
      'Subject: We received your message [SB-1042]',
      '',
      'Your ticket number is #1042.',
    ].join('\n');
    expect(stripQuotedReply(block)).toBe('Please close the ticket, it works now.');
    expect(stripQuotedReply('Sudah bisa, terima kasih.\n\nDari: Switchboard Support\nDikirim: Selasa, 24 November 2026\nPerihal: tiket')).toBe('Sudah bisa, terima kasih.');
  });

  it('drops inline ">" quotes but keeps the answers between them', () => {
    const text = '> What was the amount?\nRp150.000\n> Which merchant?\nTokopedia';
    expect(stripQuotedReply(text)).toBe('Rp150.000\nTokopedia');
  });

  it('drops signatures: "-- ", "Sent from my iPhone", "Dikirim dari …", "发自我的iPhone"', () => {
    expect(stripQuotedReply('I cannot log in.\n\n-- \nJohn Doe\nACME Corp\n+62 812 000 000')).toBe('I cannot log in.');
    expect(stripQuotedReply('OTP never arrives\n\nSent from my iPhone')).toBe('OTP never arrives');
    expect(stripQuotedReply('OTP tidak masuk\n\nDikirim dari Yahoo Mail di Android')).toBe('OTP tidak masuk');
    expect(stripQuotedReply('收不到验证码\n\n发自我的iPhone')).toBe('收不到验证码');
    expect(stripQuotedReply('Still nothing.\n\nSent from my iPhone\n\nOn 29 Nov 2026, at 12:00, Support <support@example.com> wrote:\n> We received it')).toBe('Still nothing.');
  });

  it('keeps ordinary sentences that merely look similar', () => {
    const text = 'On Monday my payment failed.\nSent from my account to BCA, Rp 50.000, and it never arrived.\nFrom: the app, the error said "declined".';
    expect(stripQuotedReply(text)).toBe(text);
    const sentence = 'Sent from my phone but it failed\nplease check order 5521';
    expect(stripQuotedReply(sentence)).toBe(sentence);
    expect(stripQuotedReply('Dikirim dari HP istri saya\ntolong cek')).toBe('Dikirim dari HP istri saya\ntolong cek');
  });

  it('keeps the whole text when it is nothing but history', () => {
    expect(stripQuotedReply('> only a quote\n> nothing else')).toBe('> only a quote\n> nothing else');
  });

  it('handles a mail of nothing but signature lines without deep recursion', () => {
    const text = Array.from({ length: 50_000 }, () => 'Sent from my iPhone').join('\n');
    expect(stripQuotedReply(`real text\n${text}`)).toBe(`real text\n${text.split('\n').slice(0, -1).join('\n')}`);
  });
});
