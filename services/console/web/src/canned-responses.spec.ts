import { CATEGORIES } from './api-types.js';
import { CANNED_RESPONSES, cannedFor, fillCanned } from './canned-responses.js';

describe('canned responses', () => {
  it('has at least one answer for every category in every language, each naming the ticket', () => {
    for (const category of CATEGORIES) {
      for (const language of ['en', 'id', 'zh'] as const) {
        const answers = CANNED_RESPONSES[category][language];
        expect(answers.length).toBeGreaterThan(0);
        for (const a of answers) {
          expect(a.title.trim()).not.toBe('');
          expect(a.text).toContain('{ticket}');
        }
      }
    }
  });

  it('picks the ticket language, English for undetermined ones', () => {
    expect(cannedFor('refund', 'id')[0].title).toBe('Waktu refund');
    expect(cannedFor('refund', 'und')).toBe(CANNED_RESPONSES.refund.en);
    expect(cannedFor('login', undefined)).toBe(CANNED_RESPONSES.login.en);
  });

  it('fills the customer name and the ticket token', () => {
    expect(fillCanned('Hi {name}, see {ticket}.', { name: 'Sari', ticket: 42 })).toBe('Hi Sari, see SB-42.');
    expect(fillCanned('Hi {name}, see {ticket}.', { ticket: 7 })).toBe('Hi, see SB-7.');
    expect(fillCanned('Halo {name}, tiket {ticket}', { name: ' ', ticket: 7 })).toBe('Halo, tiket SB-7');
    expect(fillCanned('{name}您好，工单 {ticket}', { ticket: 9 })).toBe('您好，工单 SB-9');
  });
});
