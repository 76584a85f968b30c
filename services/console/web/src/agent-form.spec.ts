import { agentFromForm, splitList } from './agent-form.js';

const blank = { id: '', displayName: '', skills: '', languages: '', teams: '', level: '', capacity: { email: '', chat: '', sms: '', social: '' } };

describe('agent form', () => {
  it('splits lists on commas and spaces without duplicates', () => {
    expect(splitList(' payments, refunds  payments,,')).toEqual(['payments', 'refunds']);
  });

  it('builds the profile the API takes', () => {
    const { agent, errors } = agentFromForm({ ...blank, id: ' agent-putri ', displayName: 'Putri', skills: 'payments, account-access', languages: 'id en', level: '2', capacity: { email: '', chat: '3', sms: '5', social: '' } });
    expect(errors).toEqual([]);
    expect(agent).toEqual({ id: 'agent-putri', displayName: 'Putri', skills: ['payments', 'account-access'], languages: ['id', 'en'], teams: [], level: 2, capacity: { chat: 3, sms: 5 } });
  });

  it('lists every problem instead of saving', () => {
    const { agent, errors } = agentFromForm({ ...blank, languages: 'x', level: '1.5', capacity: { email: '-1', chat: 'lots', sms: '', social: '101' } });
    expect(agent).toBeUndefined();
    expect(errors).toEqual([
      'An agent needs an id.',
      '"x" is not a language code.',
      'Level is a whole number from 0 to 100.',
      'Capacity for email is a whole number from 0 to 100.',
      'Capacity for chat is a whole number from 0 to 100.',
      'Capacity for social is a whole number from 0 to 100.',
    ]);
  });
});
