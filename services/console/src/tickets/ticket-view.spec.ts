import { ConsoleTimelineDocument, NotificationDocument, TicketMessageDocument } from '@switchboard/persistence';
import { conversation } from './ticket-view';

const inbound = (id: string, at: string, text: string) => ({ _id: id, ticketId: 't', channel: 'sms', text, receivedAt: new Date(at) }) as TicketMessageDocument;
const notification = (id: string, at: string, kind: NotificationDocument['kind'], text: string) => ({ _id: id, ticketId: 't', kind, channel: 'sms', text, status: 'sent', createdAt: new Date(at) }) as NotificationDocument;
const reply = (id: string, at: string, text: string): ConsoleTimelineDocument => ({ _id: id, ticketId: 't', kind: 'agent_reply', agentId: 'putri', text, at: new Date(at) });

describe('conversation', () => {
  it('puts customer messages, platform messages and agent replies in time order, text untouched', () => {
    const messages = conversation(
      [inbound('m1', '2026-01-01T10:00:00Z', '<b>help</b>'), inbound('m2', '2026-01-01T10:05:00Z', 'still there?')],
      [notification('n1', '2026-01-01T10:00:01Z', 'received', 'We got it'), notification('n2', '2026-01-01T10:06:00Z', 'agent_reply', 'Hi, Putri here')],
      [reply('r1', '2026-01-01T10:05:59Z', 'Hi, Putri here')],
    );
    expect(messages.map((m) => [m.id, m.author, m.direction])).toEqual([
      ['m1', 'customer', 'in'],
      ['n1', 'system', 'out'],
      ['m2', 'customer', 'in'],
      ['n2', 'agent', 'out'],
    ]);
    expect(messages[0].text).toBe('<b>help</b>');
  });

  it('shows a reply the notifier has not relayed yet as queued', () => {
    const messages = conversation([], [], [reply('r1', '2026-01-01T10:00:00Z', 'On it')]);
    expect(messages).toEqual([expect.objectContaining({ id: 'r1', author: 'agent', status: 'queued', text: 'On it' })]);
  });
});
