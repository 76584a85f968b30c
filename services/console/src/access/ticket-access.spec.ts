import { Principal } from './principal';
import { actionRefusal, canSeeTicket, ticketScopeFilter } from './ticket-access';

const agent: Principal = { id: 'u1', email: 'a@x.test', name: 'A', role: 'agent', agentId: 'putri', queues: ['payments'] };
const supervisor: Principal = { id: 'u2', email: 's@x.test', name: 'S', role: 'supervisor', queues: [] };

describe('canSeeTicket', () => {
  it('shows an agent the unheld tickets of their queues, and not resolved ones', () => {
    expect(canSeeTicket(agent, { queue: 'payments', status: 'open' })).toBe(true);
    expect(canSeeTicket(agent, { queue: 'payments', status: 'resolved' })).toBe(false);
  });

  it('hides another queue and tickets another agent holds', () => {
    expect(canSeeTicket(agent, { queue: 'trust-and-safety', status: 'open' })).toBe(false);
    expect(canSeeTicket(agent, { queue: 'payments', status: 'assigned', assigneeId: 'bo' })).toBe(false);
    expect(canSeeTicket(agent, { queue: 'payments', status: 'open', assignment: { agentId: 'bo', state: 'assigned' } })).toBe(false);
  });

  it('shows an agent their own tickets and offers wherever they are, resolved included', () => {
    expect(canSeeTicket(agent, { queue: 'trust-and-safety', status: 'resolved', assigneeId: 'putri' })).toBe(true);
    expect(canSeeTicket(agent, { queue: 'trust-and-safety', status: 'open', assignment: { agentId: 'putri', state: 'offered' } })).toBe(true);
  });

  it('shows an offer to a colleague in the same queue (the ticket still waits)', () => {
    expect(canSeeTicket(agent, { queue: 'payments', status: 'open', assignment: { agentId: 'bo', state: 'offered' } })).toBe(true);
  });

  it('shows an agent-role user without an agent id nothing, supervisors everything', () => {
    expect(canSeeTicket({ ...agent, agentId: undefined }, { queue: 'payments', status: 'open' })).toBe(false);
    expect(canSeeTicket(supervisor, { queue: 'anything', status: 'resolved', assigneeId: 'bo' })).toBe(true);
    expect(ticketScopeFilter(supervisor)).toEqual({});
    expect(ticketScopeFilter({ ...agent, agentId: undefined })).toEqual({ _id: { $in: [] } });
  });

  it('builds the same rule as a filter for lists', () => {
    expect(ticketScopeFilter(agent)).toEqual({
      $or: [
        { assigneeId: 'putri' },
        { 'assignment.agentId': 'putri' },
        { queue: { $in: ['payments'] }, status: { $ne: 'resolved' }, assigneeId: { $exists: false }, 'assignment.state': { $ne: 'assigned' } },
      ],
    });
  });
});

describe('actionRefusal', () => {
  const offered = { queue: 'payments', status: 'open', assignment: { agentId: 'putri', state: 'offered' as const } };
  const held = { queue: 'payments', status: 'assigned', assigneeId: 'putri', assignment: { agentId: 'putri', state: 'assigned' as const } };
  const waiting = { queue: 'payments', status: 'open' };

  it('lets an agent answer only offers made to them', () => {
    expect(actionRefusal(agent, offered, 'accept')).toBeUndefined();
    expect(actionRefusal(agent, waiting, 'accept')).toMatch(/no offer/);
    expect(actionRefusal(agent, { ...offered, assignment: { agentId: 'bo', state: 'offered' } }, 'reject')).toMatch(/no offer/);
  });

  it('lets an agent reply, resolve and recategorise only what they hold, and note anything they see', () => {
    expect(actionRefusal(agent, held, 'reply')).toBeUndefined();
    expect(actionRefusal(agent, waiting, 'reply')).toMatch(/accept/);
    expect(actionRefusal(agent, waiting, 'notes')).toBeUndefined();
    expect(actionRefusal(agent, { queue: 'other', status: 'open' }, 'notes')).toMatch(/not in your queues/);
  });

  it('keeps transfers to agents and queues for supervisors; an agent may hand a held ticket back to routing', () => {
    expect(actionRefusal(agent, held, 'transfer', 'queue')).toMatch(/supervisors/);
    expect(actionRefusal(agent, held, 'transfer', 'workflow')).toBeUndefined();
    expect(actionRefusal(agent, waiting, 'transfer', 'workflow')).toMatch(/do not hold/);
    expect(actionRefusal(supervisor, waiting, 'transfer', 'agent')).toBeUndefined();
  });
});
