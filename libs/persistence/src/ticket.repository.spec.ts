import { Connection } from 'mongoose';
import { deterministicId } from '@switchboard/contracts';
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

  it('stores a message once', async () => {
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
  });

  it('lists a person’s tickets once each, moves them on a merge, and forgets them on request', async () => {
    await repository.tickets.create([ticket('p-1', 5001, 'sms:twilio:+1'), ticket('p-2', 5002, 'inapp::u5')].map((t) => ({ ...t, personId: 'person-a' })));
    await repository.tickets.create({ ...ticket('p-3', 5003, 'inapp::u6'), personId: 'person-b' });
    await repository.rememberTickets('person-a', [{ id: 'p-1', number: 5001 }]);
    await Promise.all([repository.rememberTickets('person-a', [{ id: 'p-1', number: 5001 }]), repository.rememberTickets('person-a', [{ id: 'p-2', number: 5002 }])]);
    await repository.rememberTickets('person-b', [{ id: 'p-3', number: 5003 }]);
    expect((await repository.ticketsOfPerson('person-a')).map((t) => t._id).sort()).toEqual(['p-1', 'p-2']);
    expect(await repository.ticketsOfPerson('person-nobody')).toEqual([]);

    await repository.movePeople(['person-b'], 'person-a');
    expect((await repository.ticketsOfPerson('person-a')).map((t) => t._id).sort()).toEqual(['p-1', 'p-2', 'p-3']);
    expect((await repository.findTicket('p-3'))?.personId).toBe('person-a');
    expect(await repository.ticketsOfPerson('person-b')).toEqual([]);

    await repository.forgetTickets('person-a', [{ id: 'p-1', number: 5001 }, { id: 'p-3', number: 5003 }]);
    expect((await repository.ticketsOfPerson('person-a')).map((t) => t._id)).toEqual(['p-2']);
  });

  it('builds person documents once from the tickets stored before them', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    await repository.tickets.create({ ...ticket('b-1', 6001, 'inapp::b1'), personId: 'person-c' });
    await repository.tickets.create({ ...ticket('b-2', 6002, 'inapp::b2'), status: 'resolved', updatedAt: old, personId: 'person-c' });
    // Stored before tickets had a person: the person of its address (none stored: the one it would get).
    await repository.tickets.create(ticket('b-3', 6003, 'inapp::b3'));
    expect(await repository.backfillPersonTickets(new Date('2026-06-01T00:00:00Z'))).toBeGreaterThanOrEqual(2);
    expect((await repository.ticketsOfPerson('person-c')).map((t) => t._id)).toEqual(['b-1']);
    expect((await repository.ticketsOfPerson(deterministicId('person', 'inapp::b3'))).map((t) => t._id)).toEqual(['b-3']);
    await repository.tickets.create({ ...ticket('b-4', 6004, 'inapp::b4'), personId: 'person-d' });
    expect(await repository.backfillPersonTickets(new Date('2026-06-01T00:00:00Z'))).toBe(0);
    expect(await repository.ticketsOfPerson('person-d')).toEqual([]);
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
