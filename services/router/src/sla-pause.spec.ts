import { PinoLogger } from 'nestjs-pino';
import { Command } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { ContactRepository, RoutedTicketDocument, RoutingWorkflowRepository } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { AssignmentLeader } from './assignment-leader';
import { classifiedMessage } from './classified-message.test';
import { ConversationCommand, ConversationCommandsUseCase, isConversationCommand } from './conversation-commands.use-case';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { useRouterStore } from './router-fixture.test';
import { ThreadBatchUseCase } from './thread-batch.use-case';
import { WorkflowStore } from './workflow-store';

const RESOLUTION_SECONDS = 4;
const WORKFLOW = `
version: 1
queues: [{ id: support, name: Support }]
filters: []
default: { name: default, targets: [{ queue: support, priority: 10 }] }
sla: [{ name: quick, resolutionSeconds: ${RESOLUTION_SECONDS}, warnBeforeSeconds: 1 }]
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const supervisor = { id: 'sup', role: 'supervisor' as const };

/**
 * A ticket set pending (waiting for the customer) keeps its SLA clocks stopped through a lease
 * holder takeover, and breaches at the due time moved later by the pause once the customer
 * writes again: real FerretDB and Kafka, the real use cases, two lease holders one after the other.
 */
describe('SLA clocks of a ticket waiting for the customer, through the router', () => {
  const infra = testInfra();
  const store = useRouterStore('router_sla_pause');
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let workflows: WorkflowStore;
  let batches: ThreadBatchUseCase;
  let conversation: ConversationCommandsUseCase;
  const leaders: AssignmentLeader[] = [];
  let commands = 0;

  beforeAll(async () => {
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'sla-pause-spec', topicPrefix: `${uniqueName('sla-pause')}.`, partitions: 1 }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    const versions = new RoutingWorkflowRepository(store.connection);
    await versions.ensureIndexes();
    workflows = new WorkflowStore(versions, logger, { seedSource: WORKFLOW, pollMs: 3_600_000 });
    await workflows.onModuleInit();
    const contacts = new ContactRepository(store.connection);
    await contacts.ensureIndexes();
    const options = { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 };
    const single = new OpenOrThreadTicketUseCase(store.tickets, contacts, () => workflows.current.workflow, options, undefined, store.inbox);
    batches = new ThreadBatchUseCase(store.tickets, contacts, single, () => workflows.current.workflow, options);
    conversation = new ConversationCommandsUseCase(store.tickets, contacts);
  });

  afterAll(async () => {
    for (const leader of leaders) await leader.beforeApplicationShutdown();
    workflows?.onApplicationShutdown();
    await publisher?.disconnect();
  });

  function leader(instanceId: string): AssignmentLeader {
    const made = new AssignmentLeader(workflows, store.leases, store.agents, store.assignments, store.inbox, publisher, logger, { instanceId, leaseTtlMs: 10_000, pollMs: 3_600_000 });
    leaders.push(made);
    return made;
  }

  /** What the classified consumer does with a batch: thread it, then tell the lease holder of new tickets. */
  async function customerWrites(text: string, n: number, address = 'sari'): Promise<string> {
    const { events } = await batches.execute([classifiedMessage({ eventId: `sla-pause-${n}`, address, text })], new Date());
    const event = events[0];
    if (!event) throw new Error('the message was not threaded');
    if (event.type === 'ticket.opened') await store.inbox.add(`arrival:${event.ticket.id}`, { kind: 'arrival', ticketId: event.ticket.id }, new Date());
    return event.ticket.id;
  }

  /** What the commands consumer does with `ticket.set_pending`. */
  async function setPending(ticketId: string): Promise<void> {
    const command: Command = { schemaVersion: 1, eventId: `pending-${ticketId}-${++commands}`, actor: supervisor, issuedAt: new Date().toISOString(), command: { type: 'ticket.set_pending', ticketId } };
    if (!isConversationCommand(command)) throw new Error('not a conversation command');
    const outcome = await conversation.execute(command as ConversationCommand, new Date());
    if (outcome.kind !== 'done' || !outcome.waits) throw new Error(`set_pending did not make the ticket wait: ${JSON.stringify(outcome)}`);
    await store.inbox.add(`status:${command.eventId}`, { kind: 'status', ticketId: outcome.waits.ticketId }, new Date());
  }

  async function decisions(ticketId: string): Promise<{ type: string; at: Date; explanation: string[] }[]> {
    const entries = await store.assignments.log.find({ ticketId }).sort({ seq: 1 }).toArray();
    return entries.map((e) => e.decision as { type: string; at: Date; explanation: string[] });
  }

  it('decides no breach while pending, not even after a takeover, and breaches at the due time moved later by the pause', async () => {
    const first = leader('first');
    const ticketId = await customerWrites('refund saya belum masuk', 1);
    await first.step();
    const opened = (await store.assignments.find(ticketId)) as RoutedTicketDocument;
    const unpausedDue = new Date(opened.openedAt).getTime() + RESOLUTION_SECONDS * 1000;

    await setPending(ticketId);
    await first.step();
    const paused = await decisions(ticketId);
    expect(paused.find((d) => d.type === 'slaPaused')?.explanation[0]).toContain('paused while waiting for the customer');
    expect((await store.tickets.findTicket(ticketId))?.slaPausedAt).toBeInstanceOf(Date);

    // The unpaused due time passes; the holder hands over to another, which rebuilds from what is stored.
    await sleep(Math.max(0, unpausedDue + 500 - Date.now()));
    await first.step();
    await first.beforeApplicationShutdown();
    const second = leader('second');
    await second.step();
    await second.step();
    // Nothing decided since the wait began (a slow machine may have warned before it).
    const pausedAt = (await store.tickets.findTicket(ticketId))?.slaPausedAt as Date;
    expect((await decisions(ticketId)).filter((d) => (d.type === 'slaWarning' || d.type === 'slaBreached') && new Date(d.at) >= pausedAt)).toEqual([]);
    expect((await decisions(ticketId)).filter((d) => d.type === 'slaBreached')).toEqual([]);

    // The customer writes again (the batch path hands a waiting ticket to the one-message path).
    expect(await customerWrites('sudah saya kirim buktinya', 2)).toBe(ticketId);
    const active = (await store.tickets.findTicket(ticketId)) as RoutedTicketDocument;
    expect(active).toMatchObject({ status: 'open' });
    expect(active.slaPausedAt).toBeUndefined();
    expect(active.slaPauses).toHaveLength(1);
    const pause = (active.slaPauses ?? [])[0];
    const pausedMs = new Date(pause.to).getTime() - new Date(pause.from).getTime();
    expect(pausedMs).toBeGreaterThan(0);

    // Until the breach: the holder runs its due timers every round.
    let breach: { type: string; at: Date } | undefined;
    for (let round = 0; round < 60 && !breach; round++) {
      await second.step();
      breach = (await decisions(ticketId)).find((d) => d.type === 'slaBreached');
      if (!breach) await sleep(250);
    }
    const all = await decisions(ticketId);
    expect(all.find((d) => d.type === 'slaResumed')?.explanation[0]).toContain('paused while waiting for the customer');
    // A timer's decision is dated at its due time: the stored opening plus the target plus the pause.
    expect(new Date((breach as { at: Date }).at).getTime()).toBe(unpausedDue + pausedMs);
    expect(all.filter((d) => d.type === 'slaBreached')).toHaveLength(1);
  });

  it('follows a wait that ended and a new one that began between two rounds of the lease holder', async () => {
    for (const earlier of leaders) await earlier.beforeApplicationShutdown();
    const holder = leader('third');
    const ticketId = await customerWrites('saldo saya hilang', 3, 'budi');
    await holder.step();
    await setPending(ticketId);
    await holder.step();
    expect(await customerWrites('ini buktinya', 4, 'budi')).toBe(ticketId);
    await setPending(ticketId);
    await holder.step();
    const waits = (await decisions(ticketId)).filter((d) => d.type === 'slaPaused' || d.type === 'slaResumed');
    expect(waits.map((d) => d.type)).toEqual(['slaPaused', 'slaResumed', 'slaPaused']);
    const stored = (await store.tickets.findTicket(ticketId)) as RoutedTicketDocument;
    // Each decision dated when the engine heard of it; the second wait is the one the ticket stores.
    expect(stored.slaPauses).toHaveLength(1);
    expect(stored.slaPausedAt).toBeInstanceOf(Date);
  });
});
