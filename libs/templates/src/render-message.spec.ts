import { CATEGORIES, ticketNumberOfToken } from '@switchboard/contracts';
import { smsEncoding } from '@switchboard/channels';
import { DEFAULT_TEMPLATES } from './default-templates';
import { MESSAGE_KINDS, TemplateText } from './message-kinds';
import { renderMessage, SAMPLE_VARS, validateTemplate } from './render-message';

const LANGS = ['en', 'id', 'zh'] as const;

describe('renderMessage', () => {
  it.each(LANGS.flatMap((lang) => CATEGORIES.map((category) => [lang, category] as const)))(
    'received in %s for %s: ticket number, category in words and its self-help steps',
    (lang, category) => {
      const chat = renderMessage('received', lang, 'inapp', { ticketNumber: 4711, category });
      expect(chat.text).toContain('#4711');
      expect(chat.subject).toBeUndefined();
      expect(chat.text).not.toMatch(/\{\{|\}\}|\(\)|undefined/);
      const email = renderMessage('received', lang, 'email', { ticketNumber: 4711, category });
      expect(ticketNumberOfToken(email.subject)).toBe(4711);
      expect(email.html).toContain('#4711');
    },
  );

  it('uses the self-help wording of each category', () => {
    expect(renderMessage('received', 'en', 'inapp', { ticketNumber: 1, category: 'login' }).text).toMatch(/Forgot password.*identity/s);
    expect(renderMessage('received', 'en', 'inapp', { ticketNumber: 1, category: 'transaction_failed' }).text).toMatch(/balance.*time and amount.*refund/s);
    expect(renderMessage('received', 'id', 'inapp', { ticketNumber: 1, category: 'account_security' }).text).toMatch(/OTP.*membekukan|membekukan.*OTP/s);
    expect(renderMessage('received', 'zh', 'inapp', { ticketNumber: 1, category: 'refund' }).text).toContain('3-5个工作日');
  });

  it('tells the queue position and expected wait when routing knows them', () => {
    const text = renderMessage('received', 'id', 'inapp', { ticketNumber: 9, category: 'refund', queuePosition: 3, expectedWaitSeconds: 600 }).text;
    expect(text).toContain('antrean nomor 3');
    expect(text).toContain('10 menit');
  });

  it('asks for exactly what is missing', () => {
    expect(renderMessage('need_details', 'en', 'inapp', { ticketNumber: 5, missing: ['amount', 'merchant'] }).text).toContain('we need the amount and the merchant');
    expect(renderMessage('need_details', 'id', 'sms', { ticketNumber: 5, missing: ['time'] }).text).toBe('Tiket #5: mohon balas dengan waktu transaksi.');
  });

  it('escapes HTML in email and keeps paragraphs', () => {
    const email = renderMessage('agent_reply', 'en', 'email', { ticketNumber: 5, replyText: 'Use <b>this</b> & that', agentName: 'Putri' });
    expect(email.html).toBe('<p>Use &#60;b&#62;this&#60;/b&#62; &#38; that</p>\n<p>Putri</p>');
  });

  it('falls back to English for an undetermined language', () => {
    expect(renderMessage('reopened', 'und', 'inapp', { ticketNumber: 7 }).text).toContain('We reopened ticket #7');
  });

  it('keeps every SMS form within two segments with typical values', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const lang of LANGS) {
        for (const category of CATEGORIES) {
          const { text } = renderMessage(kind, lang, 'sms', { ...SAMPLE_VARS, category });
          expect({ kind, lang, category, segments: smsEncoding(text).segments }).toMatchObject({ segments: expect.any(Number) });
          expect(smsEncoding(text).segments).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it('uses an operator’s template over the default', () => {
    const custom: TemplateText = { subject: 'Got it [{{ticketToken}}]', text: 'Ticket {{ticketNumber}} is in.', sms: 'T{{ticketNumber}} in' };
    expect(renderMessage('received', 'en', 'sms', { ticketNumber: 3 }, { received: { en: custom } }).text).toBe('T3 in');
    expect(renderMessage('received', 'id', 'sms', { ticketNumber: 3 }, { received: { en: custom } }).text).toContain('Tiket #3');
  });
});

describe('validateTemplate', () => {
  it('accepts every default template', () => {
    for (const kind of MESSAGE_KINDS) for (const lang of LANGS) expect(validateTemplate(kind, DEFAULT_TEMPLATES[kind][lang])).toEqual([]);
  });

  it('names unknown and missing variables, broken braces and SMS forms too long', () => {
    const problems = validateTemplate('received', {
      subject: 'Hi {{agent}}',
      text: 'Hello {{customerName',
      sms: 'Ticket #{{ticketNumber}}. ' + 'Please read our long terms and conditions. '.repeat(10),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^subject: unknown variable \{\{agent\}\}; received may use \{\{ticketNumber\}\}/),
        'text: unbalanced {{ }}',
        'text: must contain {{ticketNumber}}',
      ]),
    );
    expect(validateTemplate('received', { subject: 's', text: '#{{ticketNumber}}', sms: 'Ticket #{{ticketNumber}}. ' + 'x'.repeat(400) })).toEqual([
      expect.stringMatching(/^sms: 3 segments with typical values in en/),
      expect.stringMatching(/in id/),
      expect.stringMatching(/in zh/),
    ]);
    expect(validateTemplate('agent_reply', { subject: 's', text: '', sms: '{{replyText}}' })).toEqual(['text: must not be empty']);
  });
});
