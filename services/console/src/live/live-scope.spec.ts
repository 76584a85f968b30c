import { TicketEvent } from '@switchboard/contracts';
import { Principal } from '../access/principal';
import { receivesPresence, receivesTicketEvent, ticketEventSummary, visibleQueues } from './live-scope';

const agent: Principal = { id: 'u', email: 'a@x.test', name: 'A', role: 'agent', agentId: 'putri', queues: ['payments'] };
const supervisor: Principal = { id: 's', email: 's@x.test', name: 'S', role: 'supervisor', queues: [] };

const event = (type: TicketEvent['type'], queue: string, over: Partial<TicketEvent> = {}): TicketEvent =>
  ({
    schemaVersion: 1,
    eventId: `e-${type}-${queue}`,
    type,
    ticket: { id: 't1', number: 7, status: 'open', category: 'refund', confidence: 0.9, triage: false, queue, priority: 1, language: 'en', urgency: [], channel: 'sms', contact: { channel: 'sms', address: '+62811' }, contactKey: 'sms::+62811', openedAt: '2026-01-01T00:00:00Z' },
    causationId: 'c',
    occurredAt: '2026-01-01T00:00:01Z',
    ...over,
  }) as TicketEvent;

describe('live scope', () => {
  it("sends an agent their queues' events and their own offers, never another queue's", () => {
    expect(receivesTicketEvent(agent, event('ticket.opened', 'payments'))).toBe(true);
    expect(receivesTicketEvent(agent, event('ticket.opened', 'trust-and-safety'))).toBe(false);
    expect(receivesTicketEvent(agent, event('ticket.offered', 'trust-and-safety', { routing: { agentId: 'putri', explanation: [] } }))).toBe(true);
    expect(receivesTicketEvent(agent, event('ticket.assigned', 'payments', { routing: { agentId: 'bo', explanation: [] } }))).toBe(false);
    expect(receivesTicketEvent(agent, event('ticket.offer_withdrawn', 'trust-and-safety', { routing: { agentId: 'putri', explanation: [] } }))).toBe(true);
    expect(receivesTicketEvent(supervisor, event('ticket.opened', 'trust-and-safety'))).toBe(true);
  });

  it('summarises an event without the customer address or text', () => {
    const summary = ticketEventSummary(event('ticket.opened', 'payments', { reply: { messageId: 'm', agentId: 'a', text: 'secret' } }));
    expect(JSON.stringify(summary)).not.toContain('+62811');
    expect(JSON.stringify(summary)).not.toContain('secret');
    expect(summary).toMatchObject({ ticketId: 't1', number: 7, queue: 'payments', type: 'ticket.opened' });
  });

  it("gives agents their queues' statistics and their own presence only", () => {
    const queues = [{ queue: 'payments' }, { queue: 'refunds' }];
    expect(visibleQueues(agent, queues)).toEqual([{ queue: 'payments' }]);
    expect(visibleQueues(supervisor, queues)).toEqual(queues);
    expect(receivesPresence(agent, 'putri')).toBe(true);
    expect(receivesPresence(agent, 'bo')).toBe(false);
    expect(receivesPresence(supervisor, 'bo')).toBe(true);
  });
});
