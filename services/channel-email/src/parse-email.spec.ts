import { encode } from 'iconv-lite';
import { parseEmail } from './parse-email';

/** A single-part mail whose body bytes are in `charset`, as an old client or a Chinese webmail sends it. */
function rawMail(charset: string, subject: string, body: string, transfer: '8bit' | 'base64' | 'quoted-printable' = '8bit'): Buffer {
  const encodedSubject = `=?${charset}?B?${encode(subject, charset).toString('base64')}?=`;
  const bytes = encode(body, charset);
  const content =
    transfer === 'base64'
      ? Buffer.from(bytes.toString('base64').replace(/(.{76})/g, '$1\r\n'))
      : transfer === 'quoted-printable'
        ? Buffer.from([...bytes].map((b) => (b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : b === 32 ? ' ' : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join(''))
        : bytes;
  const head = [
    'From: =?utf-8?B?' + Buffer.from('李 明').toString('base64') + '?= <li@example.cn>',
    'To: support@example.com',
    `Subject: ${encodedSubject}`,
    'Message-ID: <charset-test@example.cn>',
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${charset}`,
    `Content-Transfer-Encoding: ${transfer}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), content]);
}

describe('parseEmail', () => {
  it('decodes GBK (subject and body)', async () => {
    const mail = await parseEmail(rawMail('gbk', '退款问题', '我的退款还没有到账，已经五天了。'), ['support@example.com']);
    expect(mail.subject).toBe('退款问题');
    expect(mail.text?.trim()).toBe('我的退款还没有到账，已经五天了。');
    expect(mail.from).toEqual({ address: 'li@example.cn', name: '李 明' });
  });

  it('decodes Big5 in base64', async () => {
    const mail = await parseEmail(rawMail('big5', '帳戶被盜', '我的帳戶被盜用了，請幫我凍結。', 'base64'), []);
    expect(mail.subject).toBe('帳戶被盜');
    expect(mail.text?.trim()).toBe('我的帳戶被盜用了，請幫我凍結。');
  });

  it('decodes ISO-8859-1 in quoted-printable', async () => {
    const mail = await parseEmail(rawMail('iso-8859-1', 'Réclamation', 'Le paiement a échoué, où est mon argent ? Zürich'), []);
    expect(mail.subject).toBe('Réclamation');
    expect(mail.text?.trim()).toBe('Le paiement a échoué, où est mon argent ? Zürich');
  });

  it('keeps headers as written, recipients from envelope and headers, attachments as metadata only', async () => {
    const raw = Buffer.from(
      [
        'From: Sari <sari@gmail.com>',
        'To: "Support" <support+sb-7@example.com>',
        'Cc: other@example.com',
        'Subject: struk',
        'Auto-Submitted: auto-replied',
        'References: <a@b>',
        '  <c@d>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="x"',
        '',
        '--x',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Ini <b>struknya</b></p>',
        '--x',
        'Content-Type: image/jpeg; name="struk.jpg"',
        'Content-Disposition: attachment; filename="struk.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(300, 7).toString('base64'),
        '--x--',
        '',
      ].join('\r\n'),
    );
    const mail = await parseEmail(raw, ['support@example.com']);
    expect(mail.headers['auto-submitted']).toEqual(['auto-replied']);
    expect(mail.headers['references']).toEqual(['<a@b> <c@d>']);
    expect(mail.recipients).toEqual(['support@example.com', 'support+sb-7@example.com', 'other@example.com']);
    expect(mail.html).toContain('<b>struknya</b>');
    expect(mail.text).toBeUndefined();
    expect(mail.attachments).toEqual([{ name: 'struk.jpg', contentType: 'image/jpeg', size: 300 }]);
    expect(mail.messageId).toBeUndefined();
    expect(mail.rawDigest).toMatch(/^[0-9a-f]{64}$/);
  });
});
