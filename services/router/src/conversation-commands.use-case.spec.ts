import { Connection } from 'mongoose';
import { ClassifiedMessage, Command, ticketEventSchema } from '@switchboard/contracts';
import { AssignmentInboxRepository, ContactRepository, openMongo, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { classifiedMessage } from './classified-message.test';
import { testInfra, uniqueName } from '@switchboard/testing';
import { ConversationCommand, ConversationCommandsUseCase, isConversationCommand } from './conversation-commands.use-case';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';

let n = 0;
function customerWrites(user: string, text: string, channel: 'inapp' | 'sms' = 'inapp', extra: Partial<ClassifiedMessage['inbound']> = {}): ClassifiedMessage {
  const eventId = `in-${user}-${++n}`;
  return classifiedMessage({ eventId, channel, address: channel === 'sms' ? `+62811${user.length}${n}` : user, text, inbound: extra });
}

function command(actor: Command['actor'], body: ConversationCommand['command'], eventId = `cmd-${++n}`): ConversationCommand {
  const parsed: Command = { schemaVersion: 1, eventId, actor, issuedAt: new Date().toISOString(), command: body };
  if (!isConversationCommand(parsed)) throw new Error('not a conversation command');
  return parsed;
}

const putri = { id: 'putri', role: 'agent' as const };

describe('conversation commands against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let tickets: TicketRepository;
  let threading: OpenOrThreadTicketUseCase;
  let conversation: ConversationCommandsUseCase;
  let inbox: AssignmentInboxRepository;

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('router_conv').replace(/-/g, '_') });
    tickets = new TicketRepository(connection);
    const contacts = new ContactRepository(connection);
    await tickets.ensureIndexes();
    await contacts.ensureIndexes();
    inbox = new AssignmentInboxRepository(connection);
    threading = new OpenOrThreadTicketUseCase(tickets, contacts, parseWorkflow(DEFAULT_WORKFLOW_YAML), { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 }, undefined, inbox);
    conversation = new ConversationCommandsUseCase(tickets, contacts);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A ticket of `user`, assigned to Putri (as the router's lease holder would have written it). */
  async function assignedTicket(user: string): Promise<string> {
    const opened = await threading.execute(customerWrites(user, 'refund saya belum masuk'), new Date());
    await tickets.tickets.updateOne({ _id: opened.ticket.id }, { $set: { status: 'assigned', assigneeId: 'putri' } });
    return opened.ticket.id;
  }

  async function resolve(ticketId: string): Promise<void> {
    await tickets.tickets.updateOne({ _id: ticketId }, { $set: { status: 'resolved', updatedAt: new Date() } });
  }

  it('stores a reply in the conversation and answers on the channel and address the customer wrote from last', async () => {
    const ticketId = await assignedTicket('ayu');
    const fromPhone = customerWrites('ayu', 'sudah saya cek', 'sms');
    // Her phone is the same person (a verified identity links it), so the SMS threads onto the ticket.
    const inappProfile = customerWrites('ayu', '').inbound;
    await new ContactRepository(connection).resolve(inappProfile.contactKey, inappProfile.contact, [{ kind: 'phone', value: fromPhone.inbound.contact.address, verified: true }], new Date());
    fromPhone.inbound.identities = [{ kind: 'phone', value: fromPhone.inbound.contact.address, verified: true }];
    expect((await threading.execute(fromPhone, new Date())).ticket.id).toBe(ticketId);

    const reply = command(putri, { type: 'ticket.reply', ticketId, agentId: 'putri', text: 'Refund Anda sudah diproses.' });
    const outcome = await conversation.execute(reply, new Date());
    if (outcome.kind !== 'done' || !outcome.event) throw new Error(`expected an event, got ${JSON.stringify(outcome)}`);
    const event = ticketEventSchema.parse(outcome.event);
    expect(event).toMatchObject({
      type: 'ticket.agent_replied',
      reply: { agentId: 'putri', text: 'Refund Anda sudah diproses.' },
      message: { channel: 'sms', providerMessageId: fromPhone.inbound.providerMessageId, contactKey: fromPhone.inbound.contactKey, contact: fromPhone.inbound.contact },
    });
    expect(outcome.respond).toEqual({ ticketId });
    const conversationLog = await tickets.messages.find({ ticketId }).sort({ receivedAt: 1 }).lean();
    expect(conversationLog.map((m) => m.direction)).toEqual(['inbound', 'inbound', 'outbound']);

    // Redelivered: the same event, nothing stored twice.
    const again = await conversation.execute(reply, new Date());
    expect(again.kind === 'done' && again.event?.eventId).toBe(event.eventId);
    expect(await tickets.messages.countDocuments({ ticketId })).toBe(3);
  });

  it('ignores an agent acting on a ticket not assigned to them, or replying as someone else', async () => {
    const ticketId = await assignedTicket('bima');
    const other = { id: 'rudi', role: 'agent' as const };
    for (const body of [
      { type: 'ticket.reply', ticketId, agentId: 'rudi', text: 'hi' },
      { type: 'ticket.add_note', ticketId, text: 'note' },
      { type: 'ticket.set_pending', ticketId },
    ] as const) {
      expect(await conversation.execute(command(other, body), new Date())).toMatchObject({ kind: 'ignored' });
    }
    expect(await conversation.execute(command(putri, { type: 'ticket.reply', ticketId, agentId: 'rudi', text: 'as rudi' }), new Date())).toMatchObject({ kind: 'ignored' });
    // A supervisor may.
    expect(await conversation.execute(command({ id: 'sari', role: 'supervisor' }, { type: 'ticket.add_note', ticketId, text: 'watch this one' }), new Date())).toMatchObject({ kind: 'done' });
    expect(await tickets.messages.countDocuments({ ticketId, direction: { $ne: 'inbound' } })).toBe(1);
    expect((await tickets.findTicket(ticketId))?.status).toBe('assigned');
  });

  it('keeps internal notes on the ticket for agents only', async () => {
    const ticketId = await assignedTicket('citra');
    const outcome = await conversation.execute(command(putri, { type: 'ticket.add_note', ticketId, text: 'customer is a merchant' }), new Date());
    expect(outcome).toMatchObject({ kind: 'done', event: { type: 'ticket.note_added', reply: { agentId: 'putri', text: 'customer is a merchant' } } });
    expect(outcome.kind === 'done' && outcome.event?.message).toBeUndefined();
    expect(await tickets.messages.findOne({ ticketId, direction: 'internal' }).lean()).toMatchObject({ agentId: 'putri', text: 'customer is a merchant' });
  });

  it('sets a ticket pending, and the customer’s next message makes it assigned again', async () => {
    const ticketId = await assignedTicket('dian');
    const outcome = await conversation.execute(command(putri, { type: 'ticket.set_pending', ticketId }), new Date());
    expect(outcome).toMatchObject({ kind: 'done', event: { type: 'ticket.pending', ticket: { status: 'pending' } } });
    expect((await threading.execute(customerWrites('dian', 'ini buktinya'), new Date())).ticket).toMatchObject({ id: ticketId, status: 'assigned' });
  });

  it('stores when the wait for the customer began (the same command again keeps it) and ends it when they write, telling the lease holder', async () => {
    const ticketId = await assignedTicket('dewi');
    const since = new Date(Date.now() - 60_000);
    const setPending = command(putri, { type: 'ticket.set_pending', ticketId });
    expect(await conversation.execute(setPending, since)).toMatchObject({ kind: 'done', waits: { ticketId } });
    await conversation.execute(setPending, new Date());
    expect((await tickets.findTicket(ticketId))?.slaPausedAt).toEqual(since);

    const answer = customerWrites('dewi', 'ini buktinya');
    const event = await threading.execute(answer, new Date());
    expect(event.ticket).toMatchObject({ id: ticketId, status: 'assigned' });
    const active = await tickets.findTicket(ticketId);
    expect(active?.slaPausedAt).toBeUndefined();
    expect(active?.slaPauses).toEqual([{ from: since, to: new Date(answer.inbound.receivedAt) }]);
    expect(await inbox.items.findOne({ _id: `status:${answer.inbound.eventId}` })).toMatchObject({ kind: 'status', ticketId, processed: false });
  });

  it('ends on redelivery a wait the message’s first run died before ending, but not a wait begun after it', async () => {
    const ticketId = await assignedTicket('eka');
    await conversation.execute(command(putri, { type: 'ticket.set_pending', ticketId }), new Date(Date.now() - 60_000));
    const answer = customerWrites('eka', 'sudah saya kirim');
    await threading.execute(answer, new Date());
    // As if the first run had stored the message and died before the ticket's wait ended.
    const before = await tickets.findTicket(ticketId);
    await tickets.tickets.updateOne({ _id: ticketId }, { $set: { status: 'pending', slaPausedAt: before?.slaPauses?.[0].from }, $unset: { slaPauses: 1 } });
    await inbox.items.deleteMany({ ticketId });
    expect((await threading.execute(answer, new Date())).ticket).toMatchObject({ status: 'assigned' });
    expect(await tickets.findTicket(ticketId)).toMatchObject({ status: 'assigned', slaPauses: before?.slaPauses });
    expect(await inbox.items.countDocuments({ ticketId, kind: 'status' })).toBe(1);

    // Set pending after the message was stored: its redelivery leaves that wait alone.
    await conversation.execute(command(putri, { type: 'ticket.set_pending', ticketId }), new Date(Date.now() + 1_000));
    await threading.execute(answer, new Date());
    expect(await tickets.findTicket(ticketId)).toMatchObject({ status: 'pending', slaPausedAt: expect.any(Date) });
  });

  it('answers in the language the person chose, on every later event', async () => {
    const ticketId = await assignedTicket('eko');
    expect(await conversation.execute(command(putri, { type: 'contact.set_language', contactKey: 'inapp::eko', language: 'zh' }), new Date())).toEqual({ kind: 'done' });
    const pending = await conversation.execute(command(putri, { type: 'ticket.set_pending', ticketId }), new Date());
    expect(pending.kind === 'done' && pending.event?.ticket.preferredLanguage).toBe('zh');
    await resolve(ticketId);
    await tickets.tickets.updateOne({ _id: ticketId }, { $set: { updatedAt: new Date(Date.now() - 2 * 3600_000) } });
    // A new ticket of the same person starts with it too.
    expect((await threading.execute(customerWrites('eko', 'saldo saya hilang'), new Date())).ticket.preferredLanguage).toBe('zh');
    expect(await conversation.execute(command(putri, { type: 'contact.set_language', contactKey: 'inapp::nobody', language: 'en' }), new Date())).toMatchObject({ kind: 'ignored' });
  });

  it('records a rating after resolution as the survey answer, once, and leaves the ticket resolved', async () => {
    const ticketId = await assignedTicket('fajar');
    await resolve(ticketId);
    const answer = customerWrites('fajar', '5 puas');
    const event = ticketEventSchema.parse(await threading.execute(answer, new Date()));
    expect(event).toMatchObject({ type: 'ticket.survey_answered', ticket: { id: ticketId, status: 'resolved' }, survey: { score: 5, comment: 'puas', messageId: answer.inbound.eventId } });
    expect((await threading.execute(answer, new Date())).eventId).toBe(event.eventId);
    expect((await tickets.findTicket(ticketId))?.survey).toMatchObject({ score: 5 });

    const second = await threading.execute(customerWrites('fajar', '1'), new Date());
    expect(second).toMatchObject({ type: 'ticket.message_added', ticket: { id: ticketId, status: 'resolved' } });
    expect((await tickets.findTicket(ticketId))?.survey).toMatchObject({ score: 5 });
  });

  it('opens a new ticket for anything that is not a rating, and for ratings long after resolution', async () => {
    const ticketId = await assignedTicket('gita');
    await resolve(ticketId);
    expect((await threading.execute(customerWrites('gita', '5 hari refund belum masuk'), new Date())).type).toBe('ticket.opened');

    const old = await assignedTicket('hadi');
    await tickets.tickets.updateOne({ _id: old }, { $set: { status: 'resolved', updatedAt: new Date(Date.now() - 2 * 3600_000) } });
    expect((await threading.execute(customerWrites('hadi', '4'), new Date())).type).toBe('ticket.opened');
  });
});
