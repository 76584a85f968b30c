import { MongoProcessedEventStore } from '@switchboard/persistence';
import { RoutingRetention } from './routing-retention';
import { refundTicket, useRouterStore } from './router-fixture.test';

const DAY = 86_400_000;

/** Retention against a real MongoDB-wire server (FerretDB here): what goes, and what a rebuild still needs stays. */
describe('RoutingRetention', () => {
  const store = useRouterStore('router_retention');
  let retention: RoutingRetention;
  const now = new Date();
  const old = new Date(now.getTime() - 40 * DAY);

  beforeAll(() => {
    retention = new RoutingRetention(store.inbox, store.assignments, store.agents, store.leases, store.connection, {
      inboxRetentionMs: DAY,
      logRetentionMs: 30 * DAY,
      processedEventRetentionMs: 7 * DAY,
      batchSize: 2,
      maxBatches: 100,
    });
  });

  async function ticketWithLog(id: string, number: number, entries: number, resolved: boolean, at: Date): Promise<void> {
    await store.tickets.insertNewTicket(() => refundTicket(id, number, at));
    for (let seq = 1; seq <= entries; seq++) {
      const last = seq === entries && resolved;
      await store.assignments.write({
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
      await store.inbox.add(`old-${i}`, { kind: 'arrival', ticketId: `x${i}` }, old);
      await store.inbox.markProcessed(`old-${i}`);
    }
    await store.inbox.add('old-pending', { kind: 'arrival', ticketId: 'p' }, old);
    await store.inbox.add('recent', { kind: 'arrival', ticketId: 'r' }, now);
    await store.inbox.markProcessed('recent');

    await ticketWithLog('resolved-old', 1, 4, true, old);
    await ticketWithLog('resolved-old-2', 2, 3, true, old);
    await ticketWithLog('open-old', 3, 4, false, old);
    await ticketWithLog('resolved-recent', 4, 3, true, now);

    const processed = new MongoProcessedEventStore(store.connection);
    await processed.mark('router', 'e-old');
    await processed.mark('notifier', 'e-other-service');
    await store.connection.collection('processed_events').updateMany({}, { $set: { processedAt: old } });
    await processed.mark('router-commands', 'e-new');

    const counts = await retention.sweep(now);
    expect(counts).toMatchObject({ inboxItems: 5, prunedTickets: 2, logEntries: 5, processedEvents: 1 });

    expect((await store.inbox.items.find({}).toArray()).map((i) => i._id).sort()).toEqual(['old-pending', 'recent']);
    const seqs = async (id: string) => (await store.assignments.history(id)).map((e) => e.seq);
    expect(await seqs('resolved-old')).toEqual([4]);
    expect(await seqs('resolved-old-2')).toEqual([3]);
    expect(await seqs('open-old')).toEqual([1, 2, 3, 4]);
    expect(await seqs('resolved-recent')).toEqual([1, 2, 3]);
    expect((await store.connection.collection('processed_events').find({}).toArray()).map((d) => d._id).sort()).toEqual(['notifier|e-other-service', 'router-commands|e-new']);

    // The next sweep finds nothing new to do: pruned tickets are marked.
    expect(await retention.sweep(now)).toMatchObject({ inboxItems: 0, prunedTickets: 0, logEntries: 0, processedEvents: 0 });
  });
});
