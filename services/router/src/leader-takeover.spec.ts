import { PinoLogger } from 'nestjs-pino';
import { deterministicId, TicketEvent } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { RoutingWorkflowRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML } from '@switchboard/routing';
import { testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { AssignmentLeader } from './assignment-leader';
import { decisionWrite } from './decision-write';
import { withoutExplanation } from './owed-event';
import { refundTicket, useRouterStore } from './router-fixture.test';
import { WorkflowStore } from './workflow-store';

/**
 * A holder publishes a round's ticket events at the round's end, after storing its decisions: one
 * that dies in between leaves them unpublished. The next holder publishes again the event each open
 * ticket's latest entry owed, when it was decided recently (the same event id: consumers take it once).
 */
describe('a new lease holder and the events its predecessor may not have published', () => {
  const infra = testInfra();
  const store = useRouterStore('router_takeover');
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let workflows: WorkflowStore;
  let reader: TopicReader;
  let leader: AssignmentLeader;

  beforeAll(async () => {
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'takeover-spec', topicPrefix: `${uniqueName('takeover')}.`, partitions: 1 }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    const versions = new RoutingWorkflowRepository(store.connection);
    await versions.ensureIndexes();
    workflows = new WorkflowStore(versions, logger, { seedSource: DEFAULT_WORKFLOW_YAML, pollMs: 3_600_000 });
    await workflows.onModuleInit();
    reader = await new TopicReader(infra.kafkaBrokers, kafka.topicName('tickets')).start();
  });

  afterAll(async () => {
    await leader?.beforeApplicationShutdown();
    workflows?.onApplicationShutdown();
    await reader?.stop();
    await publisher?.disconnect();
  });

  /** A ticket waiting in its queue, as a holder stores it (entry and copy), its event never published. */
  async function waitingSince(number: number, at: Date): Promise<string> {
    const ticket = await store.tickets.insertNewTicket(() => refundTicket(`takeover-${number}`, number, at));
    const planned = decisionWrite({ type: 'waiting', at: at.getTime(), ticketId: ticket._id, queue: 'refunds', reason: 'no agent can take it now', position: 1, explanation: ['no agent'] }, 1);
    if (!planned?.event) throw new Error('a waiting decision owes an event');
    await store.assignments.write({ ...planned.write, seq: 1, assignment: null, resolved: false, owes: { type: planned.event.type, routing: withoutExplanation(planned.event.routing) } });
    return ticket._id;
  }

  it('publishes the recent ones again, under the ids they were owed with, and not the old ones', async () => {
    const recent = await waitingSince(1, new Date());
    const old = await waitingSince(2, new Date(Date.now() - 3_600_000));

    leader = new AssignmentLeader(workflows, store.leases, store.agents, store.assignments, store.inbox, publisher, logger, { instanceId: 'next', leaseTtlMs: 10_000, pollMs: 3_600_000 });
    await leader.step();

    const record = await reader.waitFor((r) => (r.value ?? '').includes(recent));
    const event = JSON.parse(record.value ?? '') as TicketEvent;
    expect(event).toMatchObject({ type: 'ticket.waiting', ticket: { id: recent }, routing: { queuePosition: 1 } });
    // The id the old holder would have published it with, for the ticket's log entry 1.
    expect(event.eventId).toBe(deterministicId('ticket-event', 'ticket.waiting', recent, '1'));
    // Published in the same produce request as the recent one, had it been.
    expect(reader.records.some((r) => (r.value ?? '').includes(deterministicId('ticket-event', 'ticket.waiting', old, '1')))).toBe(false);
  });
});
