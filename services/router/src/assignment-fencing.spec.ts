import { RoutingDecisionRecord } from '@switchboard/persistence';
import { uniqueName } from '@switchboard/testing';
import { refundTicket, useRouterStore } from './router-fixture.test';

/** The lease and the conditional claims against a real MongoDB-wire server (FerretDB in CI). */
describe('assignment lease and fenced claims', () => {
  const store = useRouterStore('router_fence');

  const decision = (type: string, epoch: number): RoutingDecisionRecord => ({ type, at: new Date(), explanation: [type], epoch });

  async function openTicket(): Promise<string> {
    const ticket = await store.tickets.insertNewTicket((number) => refundTicket(`t-${number}-${uniqueName('x')}`, number, new Date()));
    return ticket._id;
  }

  const offer = (ticketId: string, agentId: string, epoch: number, seq: number) =>
    store.assignments.write({ ticketId, seq, epoch, resolved: false, assignment: { agentId, state: 'offered', at: new Date(), epoch }, decision: decision('offered', epoch) });

  it('gives the lease to one of two contenders, and to the other only once it expired, with a higher epoch', async () => {
    const name = uniqueName('lease');
    const t0 = new Date('2026-11-29T10:00:00Z');
    const [a, b] = await Promise.all([store.leases.tryAcquire(name, 'a', 1_000, t0), store.leases.tryAcquire(name, 'b', 1_000, t0)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ?? b;
    if (!winner) throw new Error('nobody got the lease');
    const loser = winner.holder === 'a' ? 'b' : 'a';
    expect(await store.leases.tryAcquire(name, loser, 1_000, new Date(t0.getTime() + 500))).toBeNull();
    const renewed = await store.leases.renew(winner, 1_000, new Date(t0.getTime() + 900));
    expect(renewed?.expiresAt).toEqual(new Date(t0.getTime() + 1_900));
    expect(await store.leases.tryAcquire(name, loser, 1_000, new Date(t0.getTime() + 1_500))).toBeNull();

    // Two contenders for the expired term: one gets it.
    const at = new Date(t0.getTime() + 2_000);
    const contenders = await Promise.all([store.leases.tryAcquire(name, loser, 1_000, at), store.leases.tryAcquire(name, 'c', 1_000, at), store.leases.tryAcquire(name, 'd', 1_000, at)]);
    expect(contenders.filter(Boolean)).toHaveLength(1);
    const taken = contenders.find((c) => c !== null);
    if (!taken || !renewed) throw new Error('the lease was not taken over');
    expect(taken.epoch).toBe(winner.epoch + 1);
    // The deposed holder cannot renew its way back, even with its clock behind.
    expect(await store.leases.renew({ ...renewed, expiresAt: new Date(t0.getTime() + 5_000) }, 1_000, new Date(t0.getTime() + 1_800))).toBeNull();
    await store.leases.release(taken);
    expect((await store.leases.tryAcquire(name, winner.holder, 1_000, new Date(t0.getTime() + 2_200)))?.epoch).toBe(winner.epoch + 2);
  });

  it('lets only one of two concurrent offers of a ticket through, as FerretDB’s conditional updates would not', async () => {
    const ticketId = await openTicket();
    const results = await Promise.all([offer(ticketId, 'ana', 1, 1), offer(ticketId, 'bo', 2, 1), offer(ticketId, 'cy', 2, 1)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const log = await store.assignments.history(ticketId);
    expect(log).toHaveLength(1);
    const stored = await store.assignments.find(ticketId);
    expect(stored?.assignment).toEqual(log[0].assignment);
    expect(stored).toMatchObject({ routingSeq: 1, routing: { decisions: [log[0].decision] } });
  });

  it('refuses a deposed router’s late write: the new holder wrote that entry of the log first', async () => {
    const ticketId = await openTicket();
    expect(await offer(ticketId, 'ana', 1, 1)).not.toBeNull();
    // The new holder (epoch 2) rebuilt from the log and withdrew the stale offer as entry 2.
    const latest = (await store.assignments.latest([ticketId])).get(ticketId);
    expect(latest).toMatchObject({ seq: 1, assignment: { agentId: 'ana', state: 'offered' } });
    const withdrawn = await store.assignments.write({ ticketId, seq: 2, epoch: 2, resolved: false, assignment: null, decision: decision('offerWithdrawn', 2) });
    expect(withdrawn?.assignment).toBeUndefined();
    // The old holder still believes entry 2 is its to write: ana's accept goes nowhere.
    const late = await store.assignments.write({ ticketId, seq: 2, epoch: 1, resolved: false, assignment: { agentId: 'ana', state: 'assigned', at: new Date(), epoch: 1 }, decision: decision('assigned', 1) });
    expect(late).toBeNull();
    expect((await store.assignments.find(ticketId))?.assigneeId).toBeUndefined();
    expect((await store.assignments.history(ticketId)).map((e) => [e.seq, e.epoch, e.decision.type])).toEqual([
      [1, 1, 'offered'],
      [2, 2, 'offerWithdrawn'],
    ]);
  });

  it('lets only one router fill an agent’s next slot: a deposed holder’s offer to an agent the new holder served is refused', async () => {
    const agentId = uniqueName('dee');
    const [old, fresh] = await Promise.all([
      store.assignments.fenceAgent({ agentId, seq: 1, epoch: 1, ticketId: 'a', at: new Date() }),
      store.assignments.fenceAgent({ agentId, seq: 1, epoch: 2, ticketId: 'b', at: new Date() }),
    ]);
    expect([old, fresh].filter(Boolean)).toHaveLength(1);
    expect(await store.assignments.fenceAgent({ agentId, seq: 2, epoch: 2, ticketId: 'c', at: new Date() })).toBe(true);
    const last = await store.assignments.lastAgentSlots([agentId, 'nobody']);
    expect(last.get(agentId)).toMatchObject({ seq: 2, ticketId: 'c', epoch: 2 });
    expect(last.has('nobody')).toBe(false);
  });
});
