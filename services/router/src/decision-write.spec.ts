import { ticketEventSchema } from '@switchboard/contracts';
import { AssignmentRecord } from '@switchboard/persistence';
import { Decision } from '@switchboard/routing';
import { decisionWrite, DecisionWrite, satisfies } from './decision-write';

const at = Date.parse('2026-11-29T10:00:00Z');
const offeredTo = (agentId: string): AssignmentRecord => ({ agentId, state: 'offered', at: new Date(at), epoch: 1 });
const assignedTo = (agentId: string): AssignmentRecord => ({ agentId, state: 'assigned', at: new Date(at), epoch: 1 });

function planned(decision: Decision, epoch: number): DecisionWrite {
  const write = decisionWrite(decision, epoch);
  if (!write) throw new Error(`${decision.type} is not stored`);
  return write;
}

describe('decisionWrite', () => {
  it('claims an offer only on an unclaimed ticket, and an assignment only from nobody or an offer to that agent', () => {
    const offer = planned({ type: 'offered', ticketId: 't', agentId: 'ana', queue: 'refunds', via: 'queue', expiresAt: at + 30_000, at, explanation: ['why'] }, 3);
    expect(offer.write).toMatchObject({ condition: { kind: 'unclaimed' }, assignment: { agentId: 'ana', state: 'offered', epoch: 3 } });
    expect(satisfies(offer.write.condition, null)).toBe(true);
    expect(satisfies(offer.write.condition, offeredTo('bo'))).toBe(false);

    const assign = planned({ type: 'assigned', ticketId: 't', agentId: 'ana', queue: 'refunds', via: 'queue', autoAccepted: false, waitedSeconds: 4, at, explanation: ['ana accepted'] }, 3);
    expect(assign.write).toMatchObject({ assignment: { agentId: 'ana', state: 'assigned' }, set: { status: 'assigned', assigneeId: 'ana' } });
    expect(satisfies(assign.write.condition, offeredTo('ana'))).toBe(true);
    expect(satisfies(assign.write.condition, null)).toBe(true);
    expect(satisfies(assign.write.condition, offeredTo('bo'))).toBe(false);
    expect(satisfies(assign.write.condition, assignedTo('ana'))).toBe(false);
  });

  it('releases only what the named agent holds', () => {
    const released = planned({ type: 'unassigned', ticketId: 't', agentId: 'ana', reason: 'agent-offline', at, explanation: ['ana went offline'] }, 3);
    expect(released.write).toMatchObject({ assignment: null, unset: ['assigneeId'] });
    expect(satisfies(released.write.condition, assignedTo('ana'))).toBe(true);
    expect(satisfies(released.write.condition, assignedTo('bo'))).toBe(false);
    expect(released.event?.type).toBe('ticket.unassigned');
  });

  it('publishes the queue position and expected wait of a waiting ticket, with the reason', () => {
    const waiting = planned({ type: 'waiting', ticketId: 't', queue: 'refunds', reason: 'no refunds agent is free', position: 4, expectedWaitSeconds: 120, at, explanation: ['4th in refunds'] }, 2);
    expect(waiting.write.set).toMatchObject({ queuePosition: 4, expectedWaitSeconds: 120, 'routing.reason': 'no refunds agent is free' });
    expect(waiting.event).toEqual({
      type: 'ticket.waiting',
      routing: { queuePosition: 4, expectedWaitSeconds: 120, reason: 'no refunds agent is free', explanation: ['4th in refunds'], epoch: 2 },
    });
    // The routing part is valid on the bus.
    expect(() => ticketEventSchema.shape.routing.parse(waiting.event?.routing)).not.toThrow();
  });

  it('stores but does not publish what only routing cares about, and skips what is not about a ticket', () => {
    expect(decisionWrite({ type: 'priorityChanged', ticketId: 't', from: 40, to: 90, at, explanation: [] }, 1)?.event).toBeUndefined();
    expect(decisionWrite({ type: 'routed', ticketId: 't', queue: 'refunds', priority: 40, filter: 'refund', step: 0, cause: 'arrival', at, explanation: [] }, 1)?.event).toBeUndefined();
    expect(decisionWrite({ type: 'routed', ticketId: 't', queue: 'general', priority: 10, filter: 'refund', step: 0, cause: 'transfer', at, explanation: [] }, 1)?.event?.type).toBe('ticket.routed');
    expect(decisionWrite({ type: 'presenceChanged', agentId: 'ana', presence: 'away', at, explanation: [] }, 1)).toBeNull();
    expect(decisionWrite({ type: 'ignored', event: 'accept', reason: 'stale', at, explanation: [] }, 1)).toBeNull();
  });
});
