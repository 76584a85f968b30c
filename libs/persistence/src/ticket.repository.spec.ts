import { Connection } from 'mongoose';
import { testInfra, uniqueName } from '@switchboard/testing';
import { openMongo } from './mongo-connection';
import { MongoProcessedEventStore } from './processed-event.store';
import { TicketRepository } from './ticket.repository';
import { TicketDocument } from './ticket.schema';

function ticket(id: string, number: number, contactKey = 'inapp::u1'): TicketDocument {
  const at = new Date('2026-11-24T08:00:00Z');
  return {
    _id: id,
    number,
    status: 'open',
    category: 'login',
    confidence: 0.9,
    triage: false,
    queue: 'account-access',
    priority: 50,
    language: 'en',
    urgency: [],
    channel: 'inapp',
    contact: { channel: 'inapp', address: 'u1' },
    contactKey,
    routing: { filter: 'login', step: 0, explanation: ['category is login'], decidedAt: at },
    openedAt: at,
    lastMessageAt: at,
    updatedAt: at,
  };
}

describe('TicketRepository against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let repository: TicketRepository;

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('persistence').replace(/-/g, '_') });
    repository = new TicketRepository(connection);
    await repository.ensureIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('gives concurrently opened tickets distinct numbers', async () => {
    const opened = await Promise.all(Array.from({ length: 20 }, (_, i) => repository.insertNewTicket((n) => ticket(`c-${i}`, n))));
    expect(new Set(opened.map((t) => t.number)).size).toBe(20);
    expect(await repository.tickets.countDocuments({ _id: /^c-/ })).toBe(20);
  });

  it('returns the stored ticket when the same ticket is opened again', async () => {
    const first = await repository.insertNewTicket((n) => ticket('t-1', n));
    const again = await repository.insertNewTicket((n) => ({ ...ticket('t-1', n), queue: 'elsewhere' }));
    expect(again).toMatchObject({ number: first.number, queue: 'account-access' });
    expect(await repository.tickets.countDocuments({ _id: 't-1' })).toBe(1);
  });

  it('refuses a second ticket with a number already used', async () => {
    await repository.tickets.create(ticket('t-2', 2001));
    await expect(repository.tickets.create(ticket('t-3', 2001))).rejects.toMatchObject({ code: 11000 });
  });

  it('stores a message once and threads by the contact’s open ticket', async () => {
    await repository.tickets.create(ticket('t-4', 4001, 'inapp::u4'));
    const message = {
      _id: 'event-1',
      ticketId: 't-4',
      direction: 'inbound' as const,
      channel: 'inapp' as const,
      provider: 'inapp',
      providerMessageId: 'm1',
      contactKey: 'inapp::u4',
      text: 'hello',
      receivedAt: new Date(),
      classification: { category: 'other' },
      storedAt: new Date(),
    } as never;
    expect(await repository.insertMessage(message)).toBe(true);
    expect(await repository.insertMessage(message)).toBe(false);
    expect((await repository.findOpenTicket('p-none', 'inapp::u4'))?._id).toBe('t-4');
    expect(await repository.findOpenTicket('p-none', 'inapp::nobody')).toBeNull();
  });

  it('remembers processed events per consumer group', async () => {
    const store = new MongoProcessedEventStore(connection);
    expect(await store.has('router', 'e1')).toBe(false);
    await store.mark('router', 'e1');
    await store.mark('router', 'e1');
    expect(await store.has('router', 'e1')).toBe(true);
    expect(await store.has('notifier', 'e1')).toBe(false);
  });
});
