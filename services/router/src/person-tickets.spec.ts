import { TicketDocument } from '@switchboard/persistence';
import { choosePersonTicket } from './person-tickets';

const day = (d: number) => new Date(Date.UTC(2026, 10, d));

function ticket(id: string, number: number, status: TicketDocument['status'], lastMessageDay: number, updatedDay = lastMessageDay): TicketDocument {
  return { _id: id, number, status, lastMessageAt: day(lastMessageDay), updatedAt: day(updatedDay) } as TicketDocument;
}

describe('choosePersonTicket', () => {
  const tickets = [
    ticket('old-open', 1, 'pending', 10),
    ticket('new-open', 2, 'assigned', 12),
    ticket('resolved-recently', 3, 'resolved', 5, 20),
    ticket('resolved-earlier', 4, 'resolved', 5, 18),
    ticket('resolved-long-ago', 5, 'resolved', 1, 2),
  ];

  it('takes the unresolved ticket with the latest message and the latest resolved since the window', () => {
    const choice = choosePersonTicket(tickets, undefined, day(17), day(3));
    expect(choice.open?._id).toBe('new-open');
    expect(choice.resolved?._id).toBe('resolved-recently');
    expect(choice.named).toBeUndefined();
    expect(choice.forget).toEqual([{ id: 'resolved-long-ago', number: 5 }]);
  });

  it('names the ticket of the token only among the person’s, and nothing resolved before the window', () => {
    expect(choosePersonTicket(tickets, 4, day(19), day(1)).named?._id).toBe('resolved-earlier');
    expect(choosePersonTicket(tickets, 99, day(19), day(1)).named).toBeUndefined();
    const choice = choosePersonTicket(tickets, undefined, day(21), day(1));
    expect(choice.resolved).toBeUndefined();
    expect(choice.forget).toEqual([]);
  });

  it('finds nothing for a person without tickets', () => {
    expect(choosePersonTicket([], 1, day(1), day(1))).toEqual({ forget: [] });
  });
});
