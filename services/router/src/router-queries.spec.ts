import mongoose, { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { ClassifiedMessage, Command } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { AgentRepository, AssignmentInboxRepository, AssignmentRepository, ContactRepository, RoutedTicketDocument, RouterLeaseRepository, RoutingWorkflowRepository, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML } from '@switchboard/routing';
import { filtersOnIdsAlone, MongoCommandRecorder, RecordedCommand, testInfra, uniqueName } from '@switchboard/testing';
import { AssignmentLeader } from './assignment-leader';
import { classifiedMessage } from './classified-message.test';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { ThreadBatchUseCase } from './thread-batch.use-case';
import { WorkflowStore } from './workflow-store';

/**
 * Collections that grow with every message, ticket or decision: FerretDB v1 matches a filter on
 * them document by document over the whole collection unless it names an `_id` (deploy/local's
 * build hands `_id` to SQLite's index whether or not the filter has more).
 */
const GROWING = ['tickets', 'ticket_messages', 'routing_log', 'contacts', 'contact_identities', 'person_tickets'];

/** Every statement on a growing collection whose filter names neither one `_id` nor only `_id: {$in: [...]}`. */
function scans(commands: RecordedCommand[]): string[] {
  return commands
    .filter((c) => GROWING.includes(c.collection))
    .flatMap((c) => c.filters.filter((f) => typeof f._id !== 'string' && !filtersOnIdsAlone(f)).map((f) => `${c.name} ${c.collection} ${JSON.stringify(f)}`));
}

/** Every statement on a growing collection whose filter is not `{_id}` or `{_id: {$in: [...]}}`. */
function scansOfBatch(commands: RecordedCommand[]): string[] {
  return commands
    .filter((c) => GROWING.includes(c.collection))
    .flatMap((c) => c.filters.filter((f) => !filtersOnIdsAlone(f)).map((f) => `${c.name} ${c.collection} ${JSON.stringify(f)}`));
}

/** Commands per collection. */
function perCollection(commands: RecordedCommand[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of commands) counts[c.collection] = (counts[c.collection] ?? 0) + 1;
  return counts;
}

let n = 0;
function message(address: string, channel: 'inapp' | 'sms' | 'social' = 'inapp', extra: Partial<ClassifiedMessage['inbound']> = {}): ClassifiedMessage {
  const eventId = `in-${address}-${++n}`;
  const phone = channel === 'inapp' ? undefined : channel === 'social' ? `+${address}` : address;
  return classifiedMessage({ eventId, channel, address, phone, inbound: extra });
}

const supervisor = { id: 'sari', role: 'supervisor' as const };
function command(body: Command['command']): Command {
  return { schemaVersion: 1, eventId: `cmd-${++n}`, actor: supervisor, issuedAt: new Date().toISOString(), command: body };
}

/**
 * The router's per-message path against a real MongoDB-wire server and broker, its commands
 * recorded: a message threaded or opened (what the `classified` consumer does), its arrival routed
 * by the lease holder, the agent's accept and resolve. A regression guard for FerretDB v1, where
 * any other filter costs the size of the collection, for every message.
 */
describe('the router’s per-message queries', () => {
  const infra = testInfra();
  let connection: Connection;
  let recorder: MongoCommandRecorder;
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let workflows: WorkflowStore;
  let tickets: TicketRepository;
  let inbox: AssignmentInboxRepository;
  let assignments: AssignmentRepository;
  let threading: OpenOrThreadTicketUseCase;
  let batches: ThreadBatchUseCase;
  let leader: AssignmentLeader;

  /** What the `classified` consumer does with one message. */
  async function handle(classified: ClassifiedMessage) {
    const event = await threading.execute(classified, new Date());
    if (event.type === 'ticket.opened') await inbox.add(`arrival:${event.ticket.id}`, { kind: 'arrival', ticketId: event.ticket.id }, new Date());
    return event;
  }

  async function routed(ticketId: string): Promise<RoutedTicketDocument | null> {
    return assignments.find(ticketId);
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('router_queries').replace(/-/g, '_'), monitorCommands: true, autoIndex: false, autoCreate: false }).asPromise();
    recorder = new MongoCommandRecorder(connection);
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'router-queries-spec', topicPrefix: `${uniqueName('rq')}.`, partitions: 1 }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
    tickets = new TicketRepository(connection);
    const contacts = new ContactRepository(connection);
    const agents = new AgentRepository(connection);
    assignments = new AssignmentRepository(connection);
    inbox = new AssignmentInboxRepository(connection);
    const leases = new RouterLeaseRepository(connection);
    const workflowVersions = new RoutingWorkflowRepository(connection);
    await Promise.all([tickets, contacts, agents, assignments, inbox, leases, workflowVersions].map((r) => r.ensureIndexes()));
    workflows = new WorkflowStore(workflowVersions, logger, { seedSource: DEFAULT_WORKFLOW_YAML, pollMs: 3_600_000 });
    await workflows.onModuleInit();
    threading = new OpenOrThreadTicketUseCase(tickets, contacts, () => workflows.current.workflow, { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 });
    batches = new ThreadBatchUseCase(tickets, contacts, threading, () => workflows.current.workflow, { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 });
    // Stepped by hand; a long lease, so neither the reconciliation nor retention (periodic, not per message) runs in between.
    leader = new AssignmentLeader(workflows, leases, agents, assignments, inbox, publisher, logger, { instanceId: 'spec', leaseTtlMs: 600_000, pollMs: 3_600_000 });
    await agents.upsert({ id: 'ana', skills: ['refunds'], languages: ['id'], teams: [], level: 2, presence: 'available' }, 0, new Date());
    // Something already there, as in any running system.
    for (let i = 1; i <= 5; i++) await handle(message(`earlier-${i}`));
    await leader.step();
  });

  afterAll(async () => {
    await leader?.beforeApplicationShutdown();
    workflows?.onApplicationShutdown();
    await publisher?.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('opens a ticket, routes its arrival and stores the agent’s accept and resolve by `_id` alone', async () => {
    let ticketId = '';
    const opening = await recorder.during(async () => {
      ticketId = (await handle(message('+6281200000001', 'sms'))).ticket.id;
    });
    expect(scans(opening)).toEqual([]);
    // Message, address, identity, address, identity (a new one), opener, person, counter, ticket, person, message, inbox.
    expect(opening.length).toBeLessThanOrEqual(12);

    const routing = await recorder.during(() => leader.step());
    expect(scans(routing)).toEqual([]);
    expect((await routed(ticketId))?.assignment).toMatchObject({ agentId: 'ana', state: 'offered' });

    const accepted = await recorder.during(async () => {
      await inbox.add('accept', { kind: 'command', command: command({ type: 'ticket.accept', ticketId, agentId: 'ana' }) }, new Date());
      await leader.step();
    });
    expect(scans(accepted)).toEqual([]);
    expect(await routed(ticketId)).toMatchObject({ status: 'assigned', assigneeId: 'ana' });

    const resolved = await recorder.during(async () => {
      await inbox.add('resolve', { kind: 'command', command: command({ type: 'ticket.resolve', ticketId }) }, new Date());
      await leader.step();
    });
    expect(scans(resolved)).toEqual([]);
    expect((await routed(ticketId))?.status).toBe('resolved');
  });

  it('threads a follow-up, and a message from a linked address, onto the open ticket by `_id` alone', async () => {
    const opened = await handle(message('+6281200000002', 'sms'));
    await leader.step();
    const commands = await recorder.during(async () => {
      const followUp = await handle(message('+6281200000002', 'sms'));
      const fromWhatsApp = await handle(message('6281200000002', 'social'));
      expect([followUp, fromWhatsApp].map((e) => [e.type, e.ticket.id])).toEqual([
        ['ticket.message_added', opened.ticket.id],
        ['ticket.message_added', opened.ticket.id],
      ]);
      await leader.step();
    });
    expect(scans(commands)).toEqual([]);
  });

  it('reopens a resolved ticket on a reply with its token, and routes the reopening, by `_id` alone', async () => {
    const address = 'reopen-me';
    const opened = await handle(message(address));
    await leader.step();
    await inbox.add(`resolve-${opened.ticket.id}`, { kind: 'command', command: command({ type: 'ticket.resolve', ticketId: opened.ticket.id }) }, new Date());
    await leader.step();
    expect((await routed(opened.ticket.id))?.status).toBe('resolved');
    const resolvedAt = (await routed(opened.ticket.id))?.routingSeq ?? 0;

    const commands = await recorder.during(async () => {
      const reply = await threading.execute(message(address, 'inapp', { thread: { ticketToken: `SB-${opened.ticket.number}` } }), new Date());
      expect(reply).toMatchObject({ type: 'ticket.reopened', ticket: { id: opened.ticket.id } });
      await inbox.add(`reopen:${reply.eventId}`, { kind: 'reopen', ticketId: reply.ticket.id }, new Date());
      await leader.step();
    });
    expect(scans(commands)).toEqual([]);
    // The holder read the log on from where it stopped: the reopening is its next entry.
    const after = await routed(opened.ticket.id);
    expect(after?.status).toBe('open');
    expect(after?.routingSeq).toBeGreaterThan(resolvedAt);
    expect(after?.routing.decisions?.map((d) => d.type)).toContain('reopened');
    expect((await assignments.history(opened.ticket.id)).map((e) => e.seq)).toEqual(Array.from({ length: after?.routingSeq ?? 0 }, (_, i) => i + 1));
  });

  /** What the `classified` consumer does with a batch: thread it, add the arrivals to the inbox in bulk. */
  async function handleBatch(messages: ClassifiedMessage[]) {
    const { events, failed } = await batches.execute(messages, new Date());
    expect(failed).toEqual([]);
    const opened = events.flatMap((e) => (e?.type === 'ticket.opened' ? [{ id: `arrival:${e.ticket.id}`, item: { kind: 'arrival' as const, ticketId: e.ticket.id } }] : []));
    await inbox.addMany(opened, new Date());
    return events;
  }

  /** Per address: a first message on SMS, a follow-up, the same phone on WhatsApp (a linked address), and an in-app user's first message. */
  function batchOf(size: number, label: string): ClassifiedMessage[] {
    return Array.from({ length: size }, (_, i) => {
      const phone = `+62813${label}${String(i).padStart(4, '0')}`;
      return [message(phone, 'sms'), message(phone, 'sms'), message(phone.slice(1), 'social'), message(`${label}-user-${i}`)];
    }).flat();
  }

  it('threads a batch with one `_id`/`$in` read or bulk write per collection, whatever its size', async () => {
    const costs: Record<string, number>[] = [];
    const opened: string[] = [];
    for (const [size, label] of [
      [2, '1'],
      [5, '2'],
    ] as const) {
      const batch = batchOf(size, label);
      let events: Awaited<ReturnType<typeof handleBatch>> = [];
      const commands = await recorder.during(async () => {
        events = await handleBatch(batch);
      });
      expect(scansOfBatch(commands)).toEqual([]);
      // Each phone: one ticket, its follow-up and WhatsApp message on it; each in-app user a ticket of their own.
      expect(events.map((e) => e?.type)).toEqual(Array.from({ length: size }, () => ['ticket.opened', 'ticket.message_added', 'ticket.message_added', 'ticket.opened']).flat());
      for (let i = 0; i < size; i++) expect(events[4 * i + 2]?.ticket.id).toBe(events[4 * i]?.ticket.id);
      expect(new Set(events.map((e) => e?.ticket.number)).size).toBe(2 * size);
      costs.push(perCollection(commands));
      // New customers: their addresses, identities, person documents and inbox items inserted, not upserted
      // (FerretDB reads and writes per update statement); the one update is the follow-ups' touch, one statement a ticket.
      const updates = commands.filter((c) => c.name === 'update');
      expect(updates.map((c) => c.collection)).toEqual(['tickets']);
      expect(updates[0].filters).toHaveLength(size);
      opened.push(...events.flatMap((e) => (e?.type === 'ticket.opened' ? [e.ticket.id] : [])));
    }
    // 8 messages and 20 cost the same commands: O(1) per collection, not O(messages).
    expect(costs[1]).toEqual(costs[0]);
    expect(costs[0]).toEqual({
      // stored messages, then the messages inserted
      ticket_messages: 2,
      // openers, then the person documents' tickets (none listed: only the openers' read), then the new tickets inserted, then touched
      tickets: 3,
      // addresses, then the new ones inserted (the phones are new: no address listed under them to read)
      contacts: 2,
      contact_identities: 2,
      person_tickets: 2,
      counters: 1,
      routing_inbox: 1,
    });

    // The holder routes the arrivals of a batch by `_id` too, reading their tickets and logs with one `$in` each and marking them processed at once.
    const routing = await recorder.during(() => leader.step());
    expect(scans(routing)).toEqual([]);
    const reads = routing.filter((c) => c.name === 'find' && ['tickets', 'routing_log'].includes(c.collection)).map((c) => c.collection);
    expect(reads.sort()).toEqual(['routing_log', 'tickets']);
    expect(routing.filter((c) => c.collection === 'routing_inbox' && c.name === 'update')).toHaveLength(1);
    // Each one decided (offered to the agent or waiting), its decision copied onto the ticket.
    for (const id of opened) expect((await routed(id))?.routingSeq).toBeGreaterThan(0);
  });
});
