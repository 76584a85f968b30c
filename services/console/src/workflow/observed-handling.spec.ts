import { FIRST_RESPONSE_SECONDS, HANDLE_SECONDS, handlingOfAll, observedHandling, TimedTicket } from './observed-handling';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 8, 0) + minutes * 60_000);

describe('observedHandling', () => {
  it('times a resolved ticket from its first assignment to its resolution, less the waits for the customer, and its first reply', () => {
    const tickets: TimedTicket[] = [{ _id: 't1', category: 'refund', slaPauses: [{ from: at(10), to: at(70) }] }];
    const log = [
      { ticketId: 't1', type: 'offered', at: at(0) },
      { ticketId: 't1', type: 'assigned', at: at(1) },
      { ticketId: 't1', type: 'transferred', at: at(5) },
      { ticketId: 't1', type: 'assigned', at: at(6) },
      { ticketId: 't1', type: 'resolved', at: at(81) },
    ];
    const replies = [{ ticketId: 't1', at: at(4) }, { ticketId: 't1', at: at(20) }];
    // 80 minutes, of which an hour waiting for the customer.
    expect(observedHandling(tickets, log, replies).get('t1')).toEqual({ handleSeconds: 20 * 60, firstResponseSeconds: 3 * 60 });
  });

  it('leaves out tickets never assigned or not resolved, holds times between a minute and four hours, and takes a resolution without a reply as the first response', () => {
    const tickets: TimedTicket[] = ['open', 'unassigned', 'quick', 'forgotten'].map((_id) => ({ _id, category: 'login' }));
    const log = [
      { ticketId: 'open', type: 'assigned', at: at(0) },
      { ticketId: 'unassigned', type: 'resolved', at: at(3) },
      { ticketId: 'quick', type: 'assigned', at: at(0) },
      { ticketId: 'quick', type: 'resolved', at: new Date(at(0).getTime() + 5_000) },
      { ticketId: 'forgotten', type: 'assigned', at: at(0) },
      { ticketId: 'forgotten', type: 'resolved', at: at(60 * 30) },
    ];
    const observed = observedHandling(tickets, log, []);
    expect([...observed.keys()].sort()).toEqual(['forgotten', 'quick']);
    expect(observed.get('quick')).toEqual({ handleSeconds: 60, firstResponseSeconds: 60 });
    expect(observed.get('forgotten')).toEqual({ handleSeconds: 4 * 3600, firstResponseSeconds: 4 * 3600 });
  });
});

describe('handlingOfAll', () => {
  it('gives a ticket with nothing recorded its category’s median, else the median of all, else the assumed times', () => {
    const tickets: TimedTicket[] = [
      { _id: 'r1', category: 'refund' },
      { _id: 'r2', category: 'refund' },
      { _id: 'r3', category: 'refund' },
      { _id: 'l1', category: 'login' },
      { _id: 'new-refund', category: 'refund' },
      { _id: 'new-other', category: 'other' },
    ];
    const observed = new Map([
      ['r1', { handleSeconds: 300, firstResponseSeconds: 30 }],
      ['r2', { handleSeconds: 900, firstResponseSeconds: 90 }],
      ['r3', { handleSeconds: 1200, firstResponseSeconds: 60 }],
      ['l1', { handleSeconds: 200, firstResponseSeconds: 20 }],
    ]);
    const all = handlingOfAll(tickets, observed);
    expect(all.get('r2')).toEqual({ handleSeconds: 900, firstResponseSeconds: 90 });
    expect(all.get('new-refund')).toEqual({ handleSeconds: 900, firstResponseSeconds: 60 });
    // Median of 200, 300, 900, 1200 and of 20, 30, 60, 90.
    expect(all.get('new-other')).toEqual({ handleSeconds: 600, firstResponseSeconds: 45 });
    expect(handlingOfAll([{ _id: 'x', category: 'login' }], new Map()).get('x')).toEqual({ handleSeconds: HANDLE_SECONDS, firstResponseSeconds: FIRST_RESPONSE_SECONDS });
  });
});
