import { Connection } from 'mongoose';
import { ClassifiedMessage, deterministicId, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, openMongo, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { classifiedMessage } from './classified-message.test';
import { testInfra, uniqueName } from '@switchboard/testing';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { ThreadBatchUseCase } from './thread-batch.use-case';

type Inbound = ClassifiedMessage['inbound'];

function classified(
  n: number,
  contact: string,
  category: ClassifiedMessage['classification']['category'] = 'refund',
  triage = false,
  overrides: Partial<Inbound> = {},
): ClassifiedMessage {
  const eventId = `in-${overrides.contactKey ?? contact}-${n}`;
  return classifiedMessage({
    eventId,
    address: contact,
    text: `message ${n}`,
    receivedAt: new Date(Date.UTC(2026, 10, 24, 8, n)).toISOString(),
    category,
    triage,
    inbound: { providerMessageId: `m${n}`, ...overrides },
  });
}

interface Threading {
  execute(classified: ClassifiedMessage, now: Date): Promise<TicketEvent>;
}

/** The same rules, message by message and through the batch path (each call a batch of one, batches side by side). */
const PATHS: [string, (tickets: TicketRepository, contacts: ContactRepository) => Threading][] = [
  ['one message at a time', (tickets, contacts) => new OpenOrThreadTicketUseCase(tickets, contacts, parseWorkflow(DEFAULT_WORKFLOW_YAML), { reopenWindowMs: 3600_000 })],
  [
    'in batches',
    (tickets, contacts) => {
      const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
      const options = { reopenWindowMs: 3600_000, surveyWindowMs: 72 * 3600_000 };
      const batches = new ThreadBatchUseCase(tickets, contacts, new OpenOrThreadTicketUseCase(tickets, contacts, workflow, options), () => workflow, options);
      return {
        async execute(message, now) {
          const { events, failed } = await batches.execute([message], now);
          if (failed.length > 0) throw failed[0].error;
          return events[0] as TicketEvent;
        },
      };
    },
  ],
];

describe.each(PATHS)('OpenOrThreadTicketUseCase against a real MongoDB-wire server, %s', (_, makeUseCase) => {
  const infra = testInfra();
  let connection: Connection;
  let tickets: TicketRepository;
  let contacts: ContactRepository;
  let useCase: Threading;
  const now = new Date('2026-11-24T09:00:00Z');

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('router').replace(/-/g, '_') });
    tickets = new TicketRepository(connection);
    await tickets.ensureIndexes();
    contacts = new ContactRepository(connection);
    await contacts.ensureIndexes();
    useCase = makeUseCase(tickets, contacts);
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

  it('lists a new ticket under its person on a redelivery when the first run stored the message but died before listing it', async () => {
    const message = classified(1, 'dan');
    const first = await useCase.execute(message, now);
    await tickets.forgetTickets(first.ticket.personId as string, [{ id: first.ticket.id, number: first.ticket.number }]);
    expect((await useCase.execute(message, now)).type).toBe('ticket.opened');
    expect((await useCase.execute(classified(2, 'dan'), now)).ticket.id).toBe(first.ticket.id);
  });

  it('finishes the work of a run that crashed after opening the ticket but before storing the message', async () => {
    const message = classified(1, 'eve');
    const first = await useCase.execute(message, now);
    await tickets.messages.deleteOne({ _id: message.inbound.eventId });
    // Crashed before its person listed it, too.
    await tickets.forgetTickets(first.ticket.personId as string, [{ id: first.ticket.id, number: first.ticket.number }]);
    const replay = await useCase.execute(message, now);
    expect(replay.type).toBe('ticket.opened');
    expect((await useCase.execute(classified(2, 'eve'), now)).ticket.id).toBe(first.ticket.id);
    expect(await tickets.tickets.countDocuments({ contactKey: 'inapp::eve' })).toBe(1);
    expect(await tickets.messages.countDocuments({ contactKey: 'inapp::eve' })).toBe(2);
  });

  const phone = (value: string, verified = true) => ({ kind: 'phone' as const, value, verified });
  const email = (value: string, verified: boolean) => ({ kind: 'email' as const, value, verified });
  const sms = (number: string): Partial<Inbound> => ({
    channel: 'sms',
    provider: 'twilio',
    contact: { channel: 'sms', address: number, provider: 'twilio' },
    contactKey: `sms:twilio:${number}`,
    identities: [phone(number)],
  });
  const whatsapp = (number: string): Partial<Inbound> => ({
    channel: 'social',
    provider: 'whatsapp',
    contact: { channel: 'social', address: number.slice(1), provider: 'whatsapp' },
    contactKey: `social:whatsapp:${number.slice(1)}`,
    identities: [phone(number)],
  });
  const mail = (address: string, extra: Partial<Inbound> = {}): Partial<Inbound> => ({
    channel: 'email',
    provider: 'smtp',
    contact: { channel: 'email', address },
    contactKey: `email::${address}`,
    identities: [email(address, false)],
    ...extra,
  });

  it('follows the person: a WhatsApp message from the phone that sent an SMS threads onto the SMS ticket', async () => {
    const first = await useCase.execute(classified(1, 'x', 'refund', false, sms('+6281100000001')), now);
    const second = await useCase.execute(classified(2, 'x', 'refund', false, whatsapp('+6281100000001')), now);
    expect(second).toMatchObject({ type: 'ticket.message_added', ticket: { id: first.ticket.id, personId: first.ticket.personId } });
    expect(first.ticket.personId).toBeDefined();
  });

  it('opens one ticket for a person’s first messages on linked addresses handled at once (one partition each)', async () => {
    const events = await Promise.all([
      useCase.execute(classified(1, 'x', 'refund', false, sms('+6281100000005')), now),
      useCase.execute(classified(1, 'x', 'refund', false, whatsapp('+6281100000005')), now),
      useCase.execute(classified(1, 'nia', 'refund', false, { identities: [phone('+6281100000005')] }), now),
    ]);
    expect(events.filter((e) => e.type === 'ticket.opened')).toHaveLength(1);
    expect(new Set(events.map((e) => e.ticket.id)).size).toBe(1);
    // The WhatsApp and in-app addresses share nothing but the person: they wait for each other too.
    const next = await Promise.all([
      useCase.execute(classified(2, 'x', 'refund', false, whatsapp('+6281100000005')), now),
      useCase.execute(classified(2, 'nia', 'refund'), now),
    ]);
    expect(next.map((e) => [e.type, e.ticket.id])).toEqual([
      ['ticket.message_added', events[0].ticket.id],
      ['ticket.message_added', events[0].ticket.id],
    ]);
  });

  it('never links on an unverified address: a From header naming an in-app user’s email stays its own person', async () => {
    const inapp = await useCase.execute(classified(1, 'fay', 'refund', false, { identities: [email('fay@example.com', true)] }), now);
    const spoof = await useCase.execute(classified(1, 'x', 'login', false, mail('fay@example.com')), now);
    expect(spoof.type).toBe('ticket.opened');
    expect(spoof.ticket.personId).not.toBe(inapp.ticket.personId);
  });

  it('links a verified email of the in-app profile to mail that proved the same address', async () => {
    const inapp = await useCase.execute(classified(1, 'gil', 'refund', false, { identities: [email('gil@example.com', true)] }), now);
    const proven = await useCase.execute(classified(1, 'x', 'refund', false, mail('gil@example.com', { identities: [email('gil@example.com', true)] })), now);
    expect(proven).toMatchObject({ type: 'ticket.message_added', ticket: { id: inapp.ticket.id } });
  });

  it('merges two people once a verified phone shows they are one, and their tickets follow', async () => {
    const bySms = await useCase.execute(classified(1, 'x', 'refund', false, sms('+6281100000002')), now);
    const inappFirst = await useCase.execute(classified(2, 'hal', 'login'), now);
    expect(inappFirst.ticket.personId).not.toBe(bySms.ticket.personId);
    const inappVerified = await useCase.execute(classified(3, 'hal', 'login', false, { identities: [phone('+6281100000002')] }), now);
    expect(inappVerified.ticket.id).toBe(inappFirst.ticket.id);
    expect(inappVerified.ticket.personId).toBe(bySms.ticket.personId);
    expect((await tickets.findTicket(inappFirst.ticket.id))?.personId).toBe(bySms.ticket.personId);
  });

  it('threads onto the latest open ticket of two people merged, and the person keeps both', async () => {
    const bySms = await useCase.execute(classified(1, 'x', 'refund', false, sms('+6281100000003')), now);
    const inapp = await useCase.execute(classified(2, 'mia', 'login'), new Date(now.getTime() + 1_000));
    await useCase.execute(classified(3, 'mia', 'login', false, { identities: [phone('+6281100000003')] }), new Date(now.getTime() + 2_000));
    const next = await useCase.execute(classified(4, 'x', 'refund', false, whatsapp('+6281100000003')), new Date(now.getTime() + 3_000));
    // Both open, one person: the in-app ticket had the latest message (the one that linked the phone).
    expect(next).toMatchObject({ type: 'ticket.message_added', ticket: { id: inapp.ticket.id, personId: bySms.ticket.personId } });
    expect((await tickets.ticketsOfPerson(bySms.ticket.personId as string)).map((t) => t._id).sort()).toEqual([bySms.ticket.id, inapp.ticket.id].sort());
  });

  it('links addresses stored before identity documents existed once they are built', async () => {
    const at = new Date(now.getTime() - 3600_000);
    const personId = deterministicId('person', 'sms:twilio:+6281100000004');
    await contacts.contacts.create({ _id: 'sms:twilio:+6281100000004', personId, contact: sms('+6281100000004').contact, verifiedKeys: ['phone:+6281100000004'], firstSeenAt: at, lastSeenAt: at });
    expect(await contacts.backfillIdentities()).toBeGreaterThan(0);
    expect(await contacts.backfillIdentities()).toBe(0);
    const fromWhatsApp = await useCase.execute(classified(1, 'x', 'refund', false, whatsapp('+6281100000004')), now);
    expect(fromWhatsApp.ticket.personId).toBe(personId);
  });

  it('threads a reply carrying the ticket token onto that ticket, even when the person has a newer one', async () => {
    const old = await useCase.execute(classified(1, 'x', 'refund', false, mail('ida@example.com')), now);
    await tickets.tickets.updateOne({ _id: old.ticket.id }, { $set: { lastMessageAt: new Date('2026-01-01') } });
    const newer = await useCase.execute(classified(2, 'x', 'login', false, mail('ida@example.com', { thread: { ticketToken: 'SB-999999' } })), now);
    expect(newer.ticket.id).toBe(old.ticket.id);
    const reply = await useCase.execute(classified(3, 'x', 'refund', false, mail('ida@example.com', { thread: { ticketToken: `SB-${old.ticket.number}` } })), now);
    expect(reply).toMatchObject({ type: 'ticket.message_added', ticket: { id: old.ticket.id } });
    expect(reply.message).toMatchObject({ channel: 'email', autoSubmitted: false });
  });

  it('ignores a token naming somebody else’s ticket', async () => {
    const theirs = await useCase.execute(classified(1, 'jo'), now);
    const mine = await useCase.execute(classified(1, 'x', 'refund', false, mail('kim@example.com', { thread: { ticketToken: `SB-${theirs.ticket.number}` } })), now);
    expect(mine.type).toBe('ticket.opened');
    expect(mine.ticket.id).not.toBe(theirs.ticket.id);
  });

  it('reopens a recently resolved ticket on a reply with its token, and opens a new one after the window', async () => {
    const first = await useCase.execute(classified(1, 'x', 'refund', false, mail('lu@example.com')), now);
    await tickets.tickets.updateOne({ _id: first.ticket.id }, { $set: { status: 'resolved', updatedAt: now } });
    const token = { thread: { ticketToken: `SB-${first.ticket.number}` } };
    const reopened = await useCase.execute(classified(2, 'x', 'refund', false, mail('lu@example.com', token)), new Date(now.getTime() + 60_000));
    expect(reopened).toMatchObject({ type: 'ticket.reopened', ticket: { id: first.ticket.id, status: 'open' } });
    const again = await useCase.execute(classified(2, 'x', 'refund', false, mail('lu@example.com', token)), new Date());
    expect(again.type).toBe('ticket.reopened');

    await tickets.tickets.updateOne({ _id: first.ticket.id }, { $set: { status: 'resolved', updatedAt: now } });
    const late = await useCase.execute(classified(3, 'x', 'refund', false, mail('lu@example.com', token)), new Date(now.getTime() + 2 * 3600_000));
    expect(late.type).toBe('ticket.opened');
  });

  it('keeps auto-submitted mail on the ticket and says so on the event', async () => {
    const event = await useCase.execute(classified(1, 'x', 'other', false, mail('ooo@example.com', { autoSubmitted: true })), now);
    expect(event.message).toMatchObject({ autoSubmitted: true });
    expect((await tickets.findMessage(`in-email::ooo@example.com-1`))?.autoSubmitted).toBe(true);
  });
});
