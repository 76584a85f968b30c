import { CATEGORIES, LANGUAGES, ticketNumberOfToken } from '@switchboard/contracts';
import { acknowledgement } from './acknowledgement';

describe('acknowledgement', () => {
  it.each(LANGUAGES.flatMap((language) => CATEGORIES.map((category) => [language, category] as const)))(
    'names the ticket in %s for %s',
    (language, category) => {
      const { text, subject } = acknowledgement(language, { ticketNumber: 4711, category, triage: false });
      expect(text).toContain('#4711');
      expect(subject).toContain('[SB-4711]');
      expect(ticketNumberOfToken(subject)).toBe(4711);
    },
  );

  it('answers in the customer language', () => {
    expect(acknowledgement('id', { ticketNumber: 1, category: 'login', triage: false }).text).toMatch(/Nomor tiket Anda #1/);
    expect(acknowledgement('zh', { ticketNumber: 1, category: 'refund', triage: false }).text).toMatch(/工单号是 #1/);
    expect(acknowledgement('und', { ticketNumber: 1, category: 'other', triage: false }).text).toMatch(/^Thanks/);
  });

  it('offers self-service for login and asks payment details when relevant', () => {
    expect(acknowledgement('en', { ticketNumber: 2, category: 'login', triage: false }).text).toMatch(/Forgot PIN/);
    expect(acknowledgement('en', { ticketNumber: 2, category: 'transaction_failed', triage: false }).text).toMatch(/time, amount and merchant/);
  });

  it('does not promise a team when the ticket waits for triage', () => {
    const text = acknowledgement('en', { ticketNumber: 3, category: 'refund', triage: true }).text;
    expect(text).not.toMatch(/refunds team/);
    expect(text).toMatch(/agent will review/);
  });
});
