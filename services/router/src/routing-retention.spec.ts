import { Connection } from 'mongoose';
import { AgentRepository, AssignmentInboxRepository, AssignmentRepository, MongoProcessedEventStore, openMongo, RouterLeaseRepository, TicketRepository } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { RoutingRetention } from './routing-retention';

const DAY = 86_400_000;

/** Retention against a real MongoDB-wire server (FerretDB here): what goes, and what a rebuild still needs stays. */
describe('RoutingRetention', () => {
  const infra = testInfra();
  let connection: Connection;
  let inbox: AssignmentInboxRepository;
  let assignments: AssignmentRepository;
  let tickets: TicketRepository;
  let retention: RoutingRetention;
  const now = new Date();
  const old = new Date(now.getTime() - 40 * DAY);

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('router_retention').replace(/-/g, '_') });
    inbox = new AssignmentInboxRepository(connection);
    assignments = new AssignmentRepository(connection);
    tickets = new TicketRepository(connection);
    const agents = new AgentRepository(connection);
    const leases = new RouterLeaseRepository(connection);
    await Promise.all([tickets.ensureIndexes(), assignments.ensureIndexes(), inbox.ensureIndexes()]);
    retention = new RoutingRetention(inbox, assignments, agents, leases, connection, {
      inboxRetentionMs: DAY,
      logRetentionMs: 30 * DAY,
      processedEventRetentionMs: 7 * DAY,
      batchSize: 2,
      maxBatches: 100,
    });
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function ticketWithLog(id: string, number: number, entries: number, resolved: boolean, at: Date): Promise<void> {
    await tickets.insertNewTicket(() => ({
      _id: id,
      number,
      status: 'open',
      category: 'refund',
      confidence: 0.9,
      triage: false,
      queue: 'refunds',
      priority: 40,
      language: 'id',
      urgency: [],
      channel: 'inapp',
      contact: { channel: 'inapp', address: id },
      contactKey: `inapp::${id}`,
      routing: { filter: 'refund', step: 0, explanation: [], decidedAt: at },
      openedAt: at,
      lastMessageAt: at,
      updatedAt: at,
    }));
    for (let seq = 1; seq <= entries; seq++) {
      const last = seq === entries && resolved;
      await assignments.write({
        ticketId: id,
        seq,
        epoch: 1,
        resolved: last,
        assignment: null,
        decision: { type: last ? 'resolved' : 'waiting', at, explanation: [], epoch: 1 },
        set: last ? { status: 'resolved', updatedAt: at } : {},
      });
    }
  }

  it('deletes old processed inbox items, old logs of resolved tickets but their last entry, old processed-event keys; keeps the rest', async () => {
    for (let i = 0; i < 5; i++) {
      await inbox.add(`old-${i}`, { kind: 'arrival', ticketId: `x${i}` }, old);
      await inbox.markProcessed(`old-${i}`);
    }
    await inbox.add('old-pending', { kind: 'arrival', ticketId: 'p' }, old);
    await inbox.add('recent', { kind: 'arrival', ticketId: 'r' }, now);
    await inbox.markProcessed('recent');

    await ticketWithLog('resolved-old', 1, 4, true, old);
    await ticketWithLog('resolved-old-2', 2, 3, true, old);
    await ticketWithLog('open-old', 3, 4, false, old);
    await ticketWithLog('resolved-recent', 4, 3, true, now);

    const processed = new MongoProcessedEventStore(connection);
    await processed.mark('router', 'e-old');
    await processed.mark('notifier', 'e-other-service');
    await connection.collection('processed_events').updateMany({}, { $set: { processedAt: old } });
    await processed.mark('router-commands', 'e-new');

    const counts = await retention.sweep(now);
    expect(counts).toMatchObject({ inboxItems: 5, prunedTickets: 2, logEntries: 5, processedEvents: 1 });

    expect((await inbox.items.find({}).toArray()).map((i) => i._id).sort()).toEqual(['old-pending', 'recent']);
    const seqs = async (id: string) => (await assignments.history(id)).map((e) => e.seq);
    expect(await seqs('resolved-old')).toEqual([4]);
    expect(await seqs('resolved-old-2')).toEqual([3]);
    expect(await seqs('open-old')).toEqual([1, 2, 3, 4]);
    expect(await seqs('resolved-recent')).toEqual([1, 2, 3]);
    expect((await connection.collection('processed_events').find({}).toArray()).map((d) => d._id).sort()).toEqual(['notifier|e-other-service', 'router-commands|e-new']);

    // The next sweep finds nothing new to do: pruned tickets are marked.
    expect(await retention.sweep(now)).toMatchObject({ inboxItems: 0, prunedTickets: 0, logEntries: 0, processedEvents: 0 });
  });
});
