import { Connection } from 'mongoose';
import { ClassifiedMessage, deterministicId } from '@switchboard/contracts';
import { openMongo, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { testInfra, uniqueName } from '@switchboard/testing';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';

function classified(n: number, contact: string, category: ClassifiedMessage['classification']['category'] = 'refund', triage = false): ClassifiedMessage {
  const eventId = `in-${contact}-${n}`;
  return {
    schemaVersion: 1,
    eventId: deterministicId('classified', eventId),
    inbound: {
      schemaVersion: 1,
      eventId,
      channel: 'inapp',
      provider: 'inapp',
      providerMessageId: `m${n}`,
      contact: { channel: 'inapp', address: contact },
      contactKey: `inapp::${contact}`,
      text: `message ${n}`,
      receivedAt: new Date(Date.UTC(2026, 10, 24, 8, n)).toISOString(),
      attachments: [],
      identities: [],
      autoSubmitted: false,
      metadata: {},
    },
    classification: { category, confidence: 0.95, scores: {}, language: 'id', entities: { amounts: [], transactionIds: [], merchants: [], maskedDigits: [] }, urgency: [], explanation: [], modelVersion: 'test' },
    triage,
    classifiedAt: new Date().toISOString(),
  };
}

describe('OpenOrThreadTicketUseCase against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let tickets: TicketRepository;
  let useCase: OpenOrThreadTicketUseCase;
  const now = new Date('2026-11-24T09:00:00Z');

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('router').replace(/-/g, '_') });
    tickets = new TicketRepository(connection);
    await tickets.ensureIndexes();
    useCase = new OpenOrThreadTicketUseCase(tickets, parseWorkflow(DEFAULT_WORKFLOW_YAML));
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('opens a ticket in the category’s queue and explains why', async () => {
    const event = await useCase.execute(classified(1, 'ana'), now);
    expect(event).toMatchObject({ type: 'ticket.opened', ticket: { queue: 'refunds', category: 'refund', status: 'open' } });
    const stored = await tickets.findTicket(event.ticket.id);
    expect(stored?.routing.explanation).toContain("filter 'refund' matched");
  });

  it('threads the contact’s next message onto the open ticket', async () => {
    const first = await useCase.execute(classified(1, 'bo'), now);
    const second = await useCase.execute(classified(2, 'bo', 'login'), now);
    expect(second).toMatchObject({ type: 'ticket.message_added', ticket: { id: first.ticket.id, number: first.ticket.number } });
    expect(await tickets.messages.countDocuments({ ticketId: first.ticket.id })).toBe(2);
  });

  it('sends low-confidence messages to triage', async () => {
    const event = await useCase.execute(classified(1, 'cy', 'account_security', true), now);
    expect(event.ticket).toMatchObject({ queue: 'triage', triage: true });
  });

  it('repeats the same event, and stores nothing twice, when a message is handled again', async () => {
    const message = classified(1, 'dee');
    const first = await useCase.execute(message, now);
    const again = await useCase.execute(message, new Date());
    expect(again.eventId).toBe(first.eventId);
    expect(again.ticket.number).toBe(first.ticket.number);
    expect(await tickets.tickets.countDocuments({ contactKey: 'inapp::dee' })).toBe(1);
    expect(await tickets.messages.countDocuments({ contactKey: 'inapp::dee' })).toBe(1);
  });

  it('finishes the work of a run that crashed after opening the ticket but before storing the message', async () => {
    const message = classified(1, 'eve');
    await useCase.execute(message, now);
    await tickets.messages.deleteOne({ _id: message.inbound.eventId });
    const replay = await useCase.execute(message, now);
    expect(replay.type).toBe('ticket.opened');
    expect(await tickets.tickets.countDocuments({ contactKey: 'inapp::eve' })).toBe(1);
    expect(await tickets.messages.countDocuments({ contactKey: 'inapp::eve' })).toBe(1);
  });
});
