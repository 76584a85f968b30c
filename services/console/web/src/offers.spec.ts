import { TicketSummary } from './api-types.js';
import { applyToOffers, openOffers } from './offers.js';

const ticket = (id: string): TicketSummary => ({
  id,
  number: 1,
  status: 'open',
  category: 'login',
  queue: 'account-access',
  channel: 'sms',
  contact: { channel: 'sms', address: '+6281' },
  openedAt: '2026-11-29T10:00:00Z',
});

describe('offers', () => {
  it('adds an offer once, replacing an earlier one for the same ticket', () => {
    let offers = applyToOffers([], { type: 'offer', ticketId: 't1', expiresAt: '2026-11-29T10:00:20Z' }, 'a1');
    offers = applyToOffers(offers, { type: 'offer', ticketId: 't1', expiresAt: '2026-11-29T10:00:40Z' }, 'a1');
    expect(offers).toEqual([{ ticketId: 't1', expiresAt: '2026-11-29T10:00:40Z', ticket: undefined }]);
  });

  it('takes an offered event for this agent only', () => {
    const event = (agentId: string) => ({ type: 'ticket' as const, event: { type: 'ticket.offered', ticket: ticket('t2'), routing: { agentId, offerExpiresAt: '2026-11-29T10:00:20Z' } } });
    expect(applyToOffers([], event('someone-else'), 'a1')).toEqual([]);
    expect(applyToOffers([], event('a1'), 'a1')).toEqual([{ ticketId: 't2', expiresAt: '2026-11-29T10:00:20Z', ticket: ticket('t2') }]);
  });

  it('drops the offer when the ticket is assigned or withdrawn', () => {
    const offers = [{ ticketId: 't1', expiresAt: '2026-11-29T10:00:20Z' }];
    for (const type of ['ticket.assigned', 'ticket.offer_withdrawn']) {
      expect(applyToOffers(offers, { type: 'ticket', event: { type, ticket: ticket('t1') } }, 'a1')).toEqual([]);
    }
    expect(applyToOffers(offers, { type: 'ticket', event: { type: 'ticket.message_added', ticket: ticket('t1') } }, 'a1')[0].ticket?.id).toBe('t1');
  });

  it('forgets offers that ran out', () => {
    const offers = [{ ticketId: 'old', expiresAt: '2026-11-29T10:00:00Z' }, { ticketId: 'new', expiresAt: '2026-11-29T10:01:00Z' }];
    expect(openOffers(offers, Date.parse('2026-11-29T10:00:30Z')).map((o) => o.ticketId)).toEqual(['new']);
  });
});
