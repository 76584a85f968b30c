import { Connection } from 'mongoose';
import { testInfra, uniqueName } from '@switchboard/testing';
import { ClassificationCorrectionRepository } from './classification-correction.repository';
import { openMongo } from './mongo-connection';
import { TicketRepository } from './ticket.repository';
import { TicketDocument, TicketMessageDocument } from './ticket.schema';

const at = new Date('2026-11-24T08:00:00Z');

function ticket(id: string): TicketDocument {
  return {
    _id: id,
    number: 7,
    status: 'open',
    category: 'transaction_failed',
    confidence: 0.62,
    triage: true,
    queue: 'triage',
    priority: 40,
    language: 'id',
    urgency: [],
    channel: 'sms',
    contact: { channel: 'sms', address: '+628123' },
    contactKey: 'sms::+628123',
    routing: { filter: 'low-confidence', step: 0, explanation: [], decidedAt: at },
    openedAt: at,
    lastMessageAt: at,
    updatedAt: at,
  };
}

function message(id: string, ticketId: string, text: string, minutes: number, extra: Partial<TicketMessageDocument> = {}): TicketMessageDocument {
  const receivedAt = new Date(at.getTime() + minutes * 60_000);
  return {
    _id: id,
    ticketId,
    direction: 'inbound',
    channel: 'sms',
    provider: 'twilio',
    providerMessageId: id,
    contactKey: 'sms::+628123',
    text,
    receivedAt,
    classification: { category: 'transaction_failed' },
    storedAt: receivedAt,
    ...extra,
  } as TicketMessageDocument;
}

describe('ClassificationCorrectionRepository against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let tickets: TicketRepository;
  let corrections: ClassificationCorrectionRepository;

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('corrections').replace(/-/g, '_') });
    tickets = new TicketRepository(connection);
    corrections = new ClassificationCorrectionRepository(connection);
    await Promise.all([tickets.ensureIndexes(), corrections.ensureIndexes()]);
    await tickets.tickets.create(ticket('t-1'));
    await tickets.messages.create([
      message('m-2', 't-1', 'tolong blokir akun sy', 3),
      message('m-1', 't-1', 'min saldo sy ilang semua, ga ada transaksi', 1, { subject: 'Saldo hilang' }),
      message('m-3', 't-1', 'Out of office', 4, { autoSubmitted: true }),
      message('m-4', 't-2', 'another ticket', 2),
    ]);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it("stores the customer's messages, the old and the new category, who and when", async () => {
    const by = { id: 'agent-7', role: 'agent' };
    expect(await corrections.record({ eventId: 'cmd-1', ticketId: 't-1', category: 'account_security', by, at: new Date('2026-11-24T09:00:00Z') })).toBe(true);
    expect(await corrections.all()).toEqual([
      {
        _id: 'cmd-1',
        ticketId: 't-1',
        text: 'min saldo sy ilang semua, ga ada transaksi\n\ntolong blokir akun sy',
        subject: 'Saldo hilang',
        language: 'id',
        channel: 'sms',
        oldCategory: 'transaction_failed',
        newCategory: 'account_security',
        by,
        correctedAt: new Date('2026-11-24T09:00:00Z'),
      },
    ]);
  });

  it('is idempotent on the command eventId: a redelivery after the category changed keeps the first record', async () => {
    await tickets.tickets.updateOne({ _id: 't-1' }, { $set: { category: 'account_security' } });
    expect(await corrections.record({ eventId: 'cmd-1', ticketId: 't-1', category: 'account_security', by: { id: 'agent-7', role: 'agent' }, at: new Date() })).toBe(false);
    const stored = await corrections.all();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.oldCategory).toBe('transaction_failed');
  });

  it('records nothing for an unknown ticket', async () => {
    expect(await corrections.record({ eventId: 'cmd-2', ticketId: 'nope', category: 'refund', by: { id: 'a', role: 'agent' }, at })).toBe(false);
    expect(await corrections.corrections.countDocuments({ _id: 'cmd-2' })).toBe(0);
  });
});
