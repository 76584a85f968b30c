import { Connection } from 'mongoose';
import { ClassifiedMessage, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, openMongo, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { classifiedMessage } from './classified-message.test';
import { testInfra, uniqueName } from '@switchboard/testing';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { ThreadBatchUseCase } from './thread-batch.use-case';

let n = 0;
function message(channel: 'inapp' | 'sms' | 'social', address: string, extra: Partial<ClassifiedMessage['inbound']> = {}): ClassifiedMessage {
  const eventId = `in-${channel}-${address}-${++n}`;
  const phone = channel === 'inapp' ? undefined : address.startsWith('+') ? address : `+${address}`;
  return classifiedMessage({ eventId, channel, address, phone, text: `message ${n}`, receivedAt: new Date(Date.UTC(2026, 10, 24, 8, 0, n)).toISOString(), inbound: extra });
}

describe('ThreadBatchUseCase against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let tickets: TicketRepository;
  let contacts: ContactRepository;
  let batches: ThreadBatchUseCase;
  const now = new Date('2026-11-24T09:00:00Z');
  const options = { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 };

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('router_batch').replace(/-/g, '_') });
    tickets = new TicketRepository(connection);
    contacts = new ContactRepository(connection);
    await Promise.all([tickets.ensureIndexes(), contacts.ensureIndexes()]);
    const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
    batches = new ThreadBatchUseCase(tickets, contacts, new OpenOrThreadTicketUseCase(tickets, contacts, workflow, options), () => workflow, options);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function run(messages: ClassifiedMessage[]): Promise<TicketEvent[]> {
    const { events, failed } = await batches.execute(messages, now);
    expect(failed).toEqual([]);
    return events as TicketEvent[];
  }

  it('opens one ticket a person within a batch: follow-ups and a linked address thread onto it, in order', async () => {
    const batch = [message('sms', '+6281300000001'), message('inapp', 'rin'), message('sms', '+6281300000001'), message('social', '6281300000001'), message('inapp', 'rin')];
    const events = await run(batch);
    expect(events.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.opened', 'ticket.message_added', 'ticket.message_added', 'ticket.message_added']);
    expect(events[2].ticket.id).toBe(events[0].ticket.id);
    expect(events[3].ticket.id).toBe(events[0].ticket.id);
    expect(events[4].ticket.id).toBe(events[1].ticket.id);
    expect(events[0].ticket.number).not.toBe(events[1].ticket.number);
    // Stored as the one-message path stores them: numbered, listed under the person, messages on the ticket.
    const sms = await tickets.findTicket(events[0].ticket.id);
    expect(sms).toMatchObject({ number: events[0].ticket.number, status: 'open', queue: 'refunds' });
    expect(new Date(sms?.lastMessageAt ?? 0).toISOString()).toBe(batch[3].inbound.receivedAt);
    expect((await tickets.ticketsOfPerson(sms?.personId ?? '')).map((t) => t._id)).toEqual([events[0].ticket.id]);
    expect(await tickets.messages.countDocuments({ ticketId: events[0].ticket.id })).toBe(3);
    expect((await contacts.find('social:whatsapp:6281300000001'))?.personId).toBe(sms?.personId);
  });

  it('threads onto a ticket opened by an earlier batch, and moves its last message on', async () => {
    const [opened] = await run([message('inapp', 'sam')]);
    const later = message('inapp', 'sam', { receivedAt: new Date(Date.UTC(2026, 10, 24, 8, 30)).toISOString() });
    const [, followUp] = await run([message('inapp', 'other-sam'), later]);
    expect(followUp).toMatchObject({ type: 'ticket.message_added', ticket: { id: opened.ticket.id } });
    expect(new Date((await tickets.findTicket(opened.ticket.id))?.lastMessageAt ?? 0).toISOString()).toBe(later.inbound.receivedAt);
  });

  it('repeats the same events, and stores nothing twice, when a whole batch is handled again', async () => {
    const batch = [message('inapp', 'tia'), message('inapp', 'tia'), message('sms', '+6281300000002')];
    const first = await run(batch);
    const again = await run(batch);
    expect(again.map((e) => [e.eventId, e.type, e.ticket.id, e.ticket.number])).toEqual(first.map((e) => [e.eventId, e.type, e.ticket.id, e.ticket.number]));
    expect(await tickets.tickets.countDocuments({ contactKey: { $in: ['inapp::tia', 'sms:twilio:+6281300000002'] } })).toBe(2);
    expect(await tickets.messages.countDocuments({ contactKey: 'inapp::tia' })).toBe(2);
  });

  it('sends a group needing more than the common cases (two people merging) the one-message way, in order, and the rest in bulk', async () => {
    const [bySms] = await run([message('sms', '+6281300000003')]);
    const [inapp] = await run([message('inapp', 'uma')]);
    const events = await run([
      message('inapp', 'uma', { identities: [{ kind: 'phone', value: '+6281300000003', verified: true }] }),
      message('social', '6281300000003'),
      message('inapp', 'vic'),
    ]);
    const person = (await contacts.find('sms:twilio:+6281300000003'))?.personId;
    expect((await contacts.find('inapp::uma'))?.personId).toBe(person);
    expect((await tickets.findTicket(inapp.ticket.id))?.personId).toBe(person);
    // The latest open ticket of the person merged: the in-app one, newer than the SMS one.
    expect(events.map((e) => [e.type, e.ticket.id])).toEqual([
      ['ticket.message_added', inapp.ticket.id],
      ['ticket.message_added', inapp.ticket.id],
      ['ticket.opened', events[2].ticket.id],
    ]);
    expect(bySms.ticket.id).not.toBe(inapp.ticket.id);
  });

  it('fails a message alone with the messages of its person after it, and does the rest', async () => {
    const poison = message('inapp', 'wes');
    // A ticket listed under the person that names a status no rule knows is fine; a missing stored ticket is not.
    await tickets.messages.collection.insertOne({ _id: poison.inbound.eventId, ticketId: 'no-such-ticket' } as never);
    const after = message('inapp', 'wes');
    const other = message('inapp', 'xan');
    const { events, failed } = await batches.execute([poison, other, after], now);
    expect(failed.map((f) => f.index)).toEqual([0, 2]);
    expect(events[1]).toMatchObject({ type: 'ticket.opened' });
    expect(events[0]).toBeUndefined();
    expect(events[2]).toBeUndefined();
  });
});
