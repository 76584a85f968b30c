import { AssignmentRecord, RoutedTicketDocument, RoutingLogDocument, TicketRoutingWrite } from '@switchboard/persistence';
import { Decision } from '@switchboard/routing';
import { decisionWrite } from './decision-write';
import { owedEvent, withoutExplanation } from './owed-event';
import { refundTicket, useRouterStore } from './router-fixture.test';

/**
 * The takeover repair against a real MongoDB-wire server: a router appends a routing log entry and
 * dies before copying it onto the ticket; the next lease holder copies it (`applyEntry`, the same
 * function the writer uses) and publishes the event the entry says it owed.
 */
describe('routing log repair', () => {
  const store = useRouterStore('router_repair');
  const t0 = Date.parse('2026-11-29T10:00:00Z');
  const why = ['because'];

  /** One ticket's routing as the engine decides it: queued, offered and let go, taken, dropped by an agent going offline, taken again, resolved. */
  function life(ticketId: string): Decision[] {
    const at = (s: number) => t0 + s * 1000;
    return [
      { type: 'routed', at: at(0), ticketId, queue: 'refunds', priority: 40, filter: 'refund', step: 1, cause: 'step-timeout', explanation: why },
      { type: 'waiting', at: at(1), ticketId, queue: 'refunds', reason: 'waiting for an agent', position: 2, expectedWaitSeconds: 90, explanation: why },
      { type: 'offered', at: at(2), ticketId, agentId: 'ana', queue: 'refunds', via: 'queue', expiresAt: at(32), explanation: why },
      { type: 'offerWithdrawn', at: at(32), ticketId, agentId: 'ana', reason: 'timed-out', explanation: why },
      { type: 'waiting', at: at(33), ticketId, queue: 'refunds', reason: 'no agent can take it now', position: 1, explanation: why },
      { type: 'offered', at: at(40), ticketId, agentId: 'bo', queue: 'refunds', via: 'queue', expiresAt: at(70), explanation: why },
      { type: 'assigned', at: at(45), ticketId, agentId: 'bo', queue: 'refunds', via: 'queue', autoAccepted: false, waitedSeconds: 45, explanation: why },
      { type: 'responded', at: at(60), ticketId, agentId: 'bo', explanation: why },
      { type: 'unassigned', at: at(90), ticketId, agentId: 'bo', reason: 'agent-offline', explanation: why },
      { type: 'offered', at: at(95), ticketId, agentId: 'cy', queue: 'refunds', via: 'queue', expiresAt: at(125), explanation: why },
      { type: 'assigned', at: at(99), ticketId, agentId: 'cy', queue: 'refunds', via: 'queue', autoAccepted: false, waitedSeconds: 99, explanation: why },
      { type: 'resolved', at: at(300), ticketId, agentId: 'cy', explanation: why },
    ];
  }

  /** The writes the router makes for these decisions (as `AssignmentLeader.logWrite` does), with the events they owe. */
  function writes(decisions: Decision[]): { write: TicketRoutingWrite; owes?: TicketRoutingWrite['owes'] }[] {
    let assignment: AssignmentRecord | null = null;
    return decisions.map((decision, i) => {
      const planned = decisionWrite(decision, 1);
      if (!planned) throw new Error(`${decision.type} is not stored`);
      assignment = planned.write.assignment === undefined ? assignment : planned.write.assignment;
      const owes = planned.event && { type: planned.event.type, routing: withoutExplanation(planned.event.routing) };
      return { write: { ...planned.write, seq: i + 1, assignment, resolved: planned.write.resolved ?? false, ...(owes ? { owes } : {}) }, owes };
    });
  }

  async function openTicket(): Promise<string> {
    const ticket = await store.tickets.insertNewTicket((number) => refundTicket(`repair-${number}`, number, new Date(t0 - 60_000)));
    return ticket._id;
  }

  /** The ticket as a reader sees it, but what tells two tickets apart. */
  function state(ticket: RoutedTicketDocument | null): Partial<RoutedTicketDocument> {
    if (!ticket) throw new Error('ticket not found');
    const { _id, number, contact, contactKey, ...rest } = ticket;
    void [_id, number, contact, contactKey];
    return rest;
  }

  it('copies every kind of entry onto its ticket exactly as its writer would have, and knows the event owed', async () => {
    const written = await openTicket();
    const repaired = await openTicket();
    const steps = writes(life(written));
    const repairSteps = writes(life(repaired));
    for (let i = 0; i < steps.length; i++) {
      const byWriter = await store.assignments.write(steps[i].write);
      // The other ticket's writer dies after appending: the next holder finishes the copy.
      const entry = (await store.assignments.append(repairSteps[i].write)) as RoutingLogDocument;
      expect((await store.assignments.find(repaired))?.routingSeq).toBe(i === 0 ? undefined : i);
      const byNextHolder = await store.assignments.applyEntry((await store.assignments.latest([repaired])).get(repaired) as RoutingLogDocument);
      expect(state(byNextHolder)).toEqual(state(byWriter));
      expect(owedEvent(entry)).toEqual(repairSteps[i].owes);
    }
    const history = await store.assignments.history(repaired);
    const at = (seq: number) => history[seq - 1];
    // What the first repair got wrong or left out: the queue place, the reason, the assignee's removal, the resolution.
    expect(owedEvent(at(2))).toMatchObject({ type: 'ticket.waiting', routing: { queuePosition: 2, expectedWaitSeconds: 90 } });
    expect(owedEvent(at(3))).toMatchObject({ type: 'ticket.offered', routing: { agentId: 'ana', offerExpiresAt: new Date(t0 + 32_000).toISOString(), reason: 'queue' } });
    expect(owedEvent(at(8))).toBeUndefined();
    expect(owedEvent(at(12))).toMatchObject({ type: 'ticket.resolved', routing: { agentId: 'cy' } });
    const final = await store.assignments.find(repaired);
    expect(final).toMatchObject({ status: 'resolved', assigneeId: 'cy', routingSeq: 12, routing: { reason: 'assigned to cy' } });
    expect(final?.assignment).toBeUndefined();
    expect(final?.queuePosition).toBeUndefined();
    expect(final?.routing.decisions?.map((d) => d.type)).toEqual(life(repaired).map((d) => d.type));
  });

  it('leaves a ticket alone when a later entry was copied onto it already', async () => {
    const ticketId = await openTicket();
    const steps = writes(life(ticketId).slice(0, 3));
    for (const { write } of steps) await store.assignments.write(write);
    const before = await store.assignments.find(ticketId);
    const [first] = await store.assignments.history(ticketId);
    expect(await store.assignments.applyEntry(first)).toEqual(before);
    expect(before).toMatchObject({ routingSeq: 3, assignment: { agentId: 'ana', state: 'offered' } });
  });

  it('finishes an entry written before entries stored their change: the status that goes with its assignment, and the event owed', async () => {
    const ticketId = await openTicket();
    const at = new Date(t0);
    const legacy = (seq: number, type: string, assignment: AssignmentRecord | null, resolved = false): RoutingLogDocument => ({
      _id: `${ticketId}#${seq}`,
      ticketId,
      seq,
      epoch: 1,
      decision: { type, at, agentId: 'ana', explanation: why, epoch: 1 },
      assignment,
      resolved,
    });
    const assigned = legacy(1, 'assigned', { agentId: 'ana', state: 'assigned', at, epoch: 1 });
    await store.assignments.log.insertOne(assigned);
    expect(await store.assignments.applyEntry(assigned)).toMatchObject({ status: 'assigned', assigneeId: 'ana', assignment: { agentId: 'ana', state: 'assigned' }, routingSeq: 1 });
    expect(owedEvent(assigned)).toEqual({ type: 'ticket.assigned', routing: { agentId: 'ana', epoch: 1 } });

    const resolved = legacy(2, 'resolved', null, true);
    await store.assignments.log.insertOne(resolved);
    const ticket = await store.assignments.applyEntry(resolved);
    expect(ticket).toMatchObject({ status: 'resolved', routingSeq: 2 });
    expect(ticket?.assignment).toBeUndefined();
    expect(owedEvent(resolved)).toBeUndefined();
  });

  it('finds a ticket’s last log entry by `_id` from the entry its copy names, also when the copy fell behind or retention pruned under it', async () => {
    const ticketId = await openTicket();
    expect(await store.assignments.latestOf({ _id: ticketId })).toBeUndefined();
    const steps = writes(life(ticketId));
    for (const { write } of steps.slice(0, 4)) await store.assignments.write(write);
    expect((await store.assignments.latestOf((await store.assignments.find(ticketId)) as RoutedTicketDocument))?.seq).toBe(4);
    // The writer died after appending entries 5 and 6: the copy still says 4.
    for (const { write } of steps.slice(4, 6)) await store.assignments.append(write);
    const behind = (await store.assignments.find(ticketId)) as RoutedTicketDocument;
    expect(behind.routingSeq).toBe(4);
    expect(await store.assignments.latestOf(behind)).toEqual((await store.assignments.latest([ticketId])).get(ticketId));
    expect((await store.assignments.latestOf(behind))?.seq).toBe(6);
    // Entries up to 5 deleted under the copy that names 4: the whole log is read instead.
    await store.assignments.log.deleteMany({ _id: { $in: [1, 2, 3, 4, 5].map((seq) => `${ticketId}#${seq}`) } });
    expect((await store.assignments.latestOf(behind))?.seq).toBe(6);
  });
});
