import { TicketSummary } from './api-types.js';
import { applyToOffers, mergeOffers, offersIn, openOffers } from './offers.js';

const ticket = (id: string, assignment: TicketSummary['assignment'] = null): TicketSummary => ({
  id,
  number: 7,
  status: 'open',
  category: 'login',
  queue: 'account-access',
  channel: 'sms',
  contact: { channel: 'sms', address: '+6281' },
  openedAt: '2026-11-29T10:00:00Z',
  assignment,
});

describe('offers', () => {
  it('adds an offer once, replacing an earlier one for the same ticket', () => {
    let offers = applyToOffers([], { type: 'offer', ticketId: 't1', expiresAt: '2026-11-29T10:00:20Z', number: 7 });
    offers = applyToOffers(offers, { type: 'offer', ticketId: 't1', expiresAt: '2026-11-29T10:00:40Z', number: 7 });
    expect(offers).toEqual([{ ticketId: 't1', expiresAt: '2026-11-29T10:00:40Z', number: 7, queue: undefined, category: undefined, channel: undefined }]);
  });

  it('ignores an offer without an expiry (nothing to count down to)', () => {
    expect(applyToOffers([], { type: 'offer', ticketId: 't1', expiresAt: null })).toEqual([]);
  });

  it('drops the offer when the ticket is assigned, withdrawn or re-routed, and keeps the same list otherwise', () => {
    const offers = [{ ticketId: 't1', expiresAt: '2026-11-29T10:00:20Z' }];
    for (const type of ['ticket.assigned', 'ticket.offer_withdrawn', 'ticket.routed']) {
      expect(applyToOffers(offers, { type: 'ticket', event: { type, ticketId: 't1' } })).toEqual([]);
    }
    expect(applyToOffers(offers, { type: 'ticket', event: { type: 'ticket.message_added', ticketId: 't1' } })).toBe(offers);
    expect(applyToOffers(offers, { type: 'ticket', event: { type: 'ticket.assigned', ticketId: 'other' } })).toBe(offers);
  });

  it('finds the offers to this agent in a ticket list', () => {
    const list = [
      ticket('mine', { agentId: 'a1', state: 'offered', offerExpiresAt: '2026-11-29T10:00:20Z' }),
      ticket('theirs', { agentId: 'a2', state: 'offered', offerExpiresAt: '2026-11-29T10:00:20Z' }),
      ticket('taken', { agentId: 'a1', state: 'assigned' }),
      ticket('free'),
    ];
    expect(offersIn(list, 'a1').map((o) => o.ticketId)).toEqual(['mine']);
    expect(offersIn(list, undefined)).toEqual([]);
  });

  it('merges found offers, keeping the later expiry', () => {
    const known = [{ ticketId: 't1', expiresAt: '2026-11-29T10:00:40Z' }];
    expect(mergeOffers(known, [{ ticketId: 't1', expiresAt: '2026-11-29T10:00:20Z' }])).toBe(known);
    expect(mergeOffers(known, [{ ticketId: 't2', expiresAt: '2026-11-29T10:00:20Z' }]).map((o) => o.ticketId)).toEqual(['t1', 't2']);
  });

  it('forgets offers that ran out', () => {
    const offers = [{ ticketId: 'old', expiresAt: '2026-11-29T10:00:00Z' }, { ticketId: 'new', expiresAt: '2026-11-29T10:01:00Z' }];
    expect(openOffers(offers, Date.parse('2026-11-29T10:00:30Z')).map((o) => o.ticketId)).toEqual(['new']);
  });
});
