import { missedTickets } from './missed-tickets';

describe('missedTickets', () => {
  it('counts an open ticket the engine does not know as missed', () => {
    expect(missedTickets(['t1'], new Set(), new Map())).toEqual(['t1']);
  });

  it('does not count a ticket whose arrival still waits in the inbox (a backlog, not a miss)', () => {
    expect(missedTickets(['t1', 't2'], new Set(['t1']), new Map())).toEqual(['t2']);
  });

  it('does not count a ticket its routing log already resolved', () => {
    expect(missedTickets(['t1', 't2'], new Set(), new Map([['t2', { resolved: true }]]))).toEqual(['t1']);
  });
});
