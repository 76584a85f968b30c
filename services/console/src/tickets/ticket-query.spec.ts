import { Principal } from '../access/principal';
import { ticketListFilter, ticketListQuerySchema } from './ticket-query';

const supervisor: Principal = { id: 's', email: 's@x.test', name: 'S', role: 'supervisor', queues: [] };
const agent: Principal = { id: 'u', email: 'a@x.test', name: 'A', role: 'agent', agentId: 'putri', queues: ['payments'] };

describe('ticket list query', () => {
  it('defaults the page, caps the page size and refuses unknown parameters', () => {
    expect(ticketListQuerySchema.parse({})).toEqual({ page: 1, pageSize: 25 });
    expect(ticketListQuerySchema.safeParse({ pageSize: '101' }).success).toBe(false);
    expect(ticketListQuerySchema.safeParse({ sort: 'x' }).success).toBe(false);
    expect(ticketListQuerySchema.safeParse({ status: 'closed' }).success).toBe(false);
  });

  it('searches by ticket number in any usual spelling, or by address', () => {
    const q = (text: string) => ticketListFilter(supervisor, ticketListQuerySchema.parse({ q: text }));
    for (const text of ['42', '#42', 'SB-42', 'sb-42']) expect(q(text)).toEqual({ $or: [{ number: 42 }, { 'contact.address': { $regex: text.replace('#', '#'), $options: 'i' } }] });
    expect(q('+62812')).toEqual({ 'contact.address': { $regex: '\\+62812', $options: 'i' } });
  });

  it("combines the agent's scope with the filters, `assignee=me` meaning the agent", () => {
    const filter = ticketListFilter(agent, ticketListQuerySchema.parse({ status: 'assigned', assignee: 'me' }));
    expect(filter).toEqual({ $and: [expect.objectContaining({ $or: expect.any(Array) }), { status: 'assigned' }, { assigneeId: 'putri' }] });
  });
});
