import { deterministicId } from '@switchboard/contracts';
import { AgentMessageDocument, NotificationDocument, TicketMessageDocument } from '@switchboard/persistence';
import { conversation, notesOf } from './ticket-view';

const inbound = (id: string, at: string, text: string) => ({ _id: id, ticketId: 't', direction: 'inbound', channel: 'sms', text, receivedAt: new Date(at) }) as TicketMessageDocument;
const written = (id: string, at: string, text: string, direction: AgentMessageDocument['direction'] = 'outbound'): AgentMessageDocument => ({
  _id: id,
  ticketId: 't',
  direction,
  agentId: 'putri',
  text,
  receivedAt: new Date(at),
  storedAt: new Date(at),
});
const notification = (id: string, at: string, kind: NotificationDocument['kind'], text: string) => ({ _id: id, ticketId: 't', kind, channel: 'sms', text, status: 'delivered', createdAt: new Date(at) }) as NotificationDocument;

describe('conversation', () => {
  it('puts customer messages, platform messages and agent replies in time order, text untouched', () => {
    const relay = notification(deterministicId('notification', 'agent_reply', 'r1'), '2026-01-01T10:06:00Z', 'agent_reply', 'Hi, Putri here');
    const messages = conversation(
      [inbound('m1', '2026-01-01T10:00:00Z', '<b>help</b>'), inbound('m2', '2026-01-01T10:05:00Z', 'still there?'), written('r1', '2026-01-01T10:05:59Z', 'Hi, Putri here')],
      [notification('n1', '2026-01-01T10:00:01Z', 'received', 'We got it'), relay],
    );
    expect(messages.map((m) => [m.id, m.author, m.direction, m.status])).toEqual([
      ['m1', 'customer', 'in', undefined],
      ['n1', 'system', 'out', 'delivered'],
      ['m2', 'customer', 'in', undefined],
      ['r1', 'agent', 'out', 'delivered'],
    ]);
    expect(messages[0].text).toBe('<b>help</b>');
  });

  it('shows a reply the notifier has not relayed yet as queued, and keeps notes out of the conversation', () => {
    const stored = [written('r1', '2026-01-01T10:00:00Z', 'On it'), written('x1', '2026-01-01T10:01:00Z', 'customer is VIP', 'internal')];
    expect(conversation(stored, [])).toEqual([expect.objectContaining({ id: 'r1', author: 'agent', status: 'queued', text: 'On it' })]);
    expect(notesOf(stored)).toEqual([{ id: 'x1', agentId: 'putri', text: 'customer is VIP', at: '2026-01-01T10:01:00.000Z' }]);
  });
});
