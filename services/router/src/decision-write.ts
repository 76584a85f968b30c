import { TicketEvent, TicketRouting } from '@switchboard/contracts';
import { AssignmentRecord, RoutingDecisionRecord } from '@switchboard/persistence';
import { Decision } from '@switchboard/routing';

/** How one engine decision is stored on its ticket, and the ticket event it is published as (if any). */
export interface DecisionWrite {
  write: PlannedWrite;
  event?: { type: TicketEvent['type']; routing: TicketRouting };
}

/** What must hold of the ticket's current assignment for the decision to make sense. */
export type ClaimCondition =
  | { kind: 'unclaimed' }
  /** An assignment: the ticket is unclaimed (auto-accept) or on offer to this very agent. */
  | { kind: 'offered-to'; agentId: string }
  | { kind: 'held-by'; agentId: string }
  | { kind: 'any' };

export interface PlannedWrite {
  ticketId: string;
  epoch: number;
  condition: ClaimCondition;
  /** The assignment after the decision: a new one, none (`null`), or unchanged (absent). */
  assignment?: AssignmentRecord | null;
  resolved?: boolean;
  decision: RoutingDecisionRecord;
  set?: Record<string, unknown>;
  unset?: string[];
}

export function satisfies(condition: ClaimCondition, current: AssignmentRecord | null): boolean {
  switch (condition.kind) {
    case 'unclaimed':
      return current === null;
    case 'offered-to':
      return current === null || (current.state === 'offered' && current.agentId === condition.agentId);
    case 'held-by':
      return current?.agentId === condition.agentId;
    case 'any':
      return true;
  }
}

const QUEUE_PLACE = ['queuePosition', 'expectedWaitSeconds'];

/** Pure: the conditional write (claim only where unclaimed, accept only where on offer to that agent) for a ticket decision. */
export function decisionWrite(decision: Decision, epoch: number): DecisionWrite | null {
  if (decision.type === 'ignored' || decision.type === 'presenceChanged') return null;
  const at = new Date(decision.at);
  const agentId = 'agentId' in decision ? decision.agentId : undefined;
  const record = {
    type: decision.type,
    at,
    ...(agentId ? { agentId } : {}),
    ...('queue' in decision ? { queue: decision.queue } : {}),
    ...('reason' in decision && typeof decision.reason === 'string' ? { reason: decision.reason } : {}),
    explanation: decision.explanation,
    epoch,
  };
  const base = { ticketId: decision.ticketId, epoch, decision: record };
  const routing = (extra: Partial<TicketRouting> = {}): TicketRouting => ({ ...(agentId ? { agentId } : {}), explanation: decision.explanation.slice(0, 100), epoch, ...extra });

  switch (decision.type) {
    case 'routed':
      return {
        write: { ...base, condition: { kind: 'any' }, set: { queue: decision.queue, priority: decision.priority, 'routing.filter': decision.filter, 'routing.step': decision.step } },
        // The opener already told everyone where a new ticket went.
        ...(decision.cause === 'arrival' ? {} : { event: { type: 'ticket.routed', routing: routing({ reason: decision.cause }) } }),
      };
    case 'waiting': {
      const wait = decision.expectedWaitSeconds;
      return {
        write: {
          ...base,
          condition: { kind: 'any' },
          set: { queue: decision.queue, queuePosition: decision.position, 'routing.reason': decision.reason, ...(wait !== undefined ? { expectedWaitSeconds: wait } : {}) },
          ...(wait === undefined ? { unset: ['expectedWaitSeconds'] } : {}),
        },
        event: { type: 'ticket.waiting', routing: routing({ queuePosition: decision.position, reason: decision.reason, ...(wait !== undefined ? { expectedWaitSeconds: wait } : {}) }) },
      };
    }
    case 'offered':
      return {
        write: {
          ...base,
          condition: { kind: 'unclaimed' },
          assignment: { agentId: decision.agentId, state: 'offered', at, offerExpiresAt: new Date(decision.expiresAt), epoch },
          set: { status: 'open', queue: decision.queue, 'routing.reason': `offered to ${decision.agentId}` },
          unset: QUEUE_PLACE,
        },
        event: { type: 'ticket.offered', routing: routing({ offerExpiresAt: new Date(decision.expiresAt).toISOString(), reason: decision.via }) },
      };
    case 'assigned':
      return {
        write: {
          ...base,
          condition: { kind: 'offered-to', agentId: decision.agentId },
          assignment: { agentId: decision.agentId, state: 'assigned', at, epoch },
          set: { status: 'assigned', queue: decision.queue, assigneeId: decision.agentId, 'routing.reason': `assigned to ${decision.agentId}` },
          unset: QUEUE_PLACE,
        },
        event: { type: 'ticket.assigned', routing: routing({ reason: decision.autoAccepted ? 'auto-accepted' : 'accepted' }) },
      };
    case 'offerWithdrawn':
    case 'unassigned':
      return {
        write: {
          ...base,
          condition: { kind: 'held-by', agentId: decision.agentId },
          assignment: null,
          set: { status: 'open' },
          ...(decision.type === 'unassigned' ? { unset: ['assigneeId'] } : {}),
        },
        event: { type: decision.type === 'unassigned' ? 'ticket.unassigned' : 'ticket.offer_withdrawn', routing: routing({ reason: decision.reason }) },
      };
    case 'priorityChanged':
      return { write: { ...base, condition: { kind: 'any' }, set: { priority: decision.to } } };
    case 'slaWarning':
    case 'slaBreached':
      return {
        write: { ...base, condition: { kind: 'any' } },
        event: { type: 'ticket.escalated', routing: routing({ reason: `${decision.target} ${decision.type === 'slaBreached' ? 'breached' : 'due soon'} (${decision.policy})` }) },
      };
    // In the log and the ticket's copy for the explanation; the ticket's pause itself is stored by whoever set it pending or made it active again.
    case 'slaPaused':
    case 'slaResumed':
      return { write: { ...base, condition: { kind: 'any' } } };
    case 'alert':
      return { write: { ...base, condition: { kind: 'any' } }, event: { type: 'ticket.escalated', routing: routing({ reason: decision.message }) } };
    case 'responded':
      return { write: { ...base, condition: { kind: 'any' }, set: { 'routing.firstRespondedAt': at } } };
    case 'resolved':
      return {
        write: { ...base, condition: { kind: 'any' }, assignment: null, resolved: true, set: { status: 'resolved', updatedAt: at }, unset: [...QUEUE_PLACE, 'routingLogPruned'] },
        event: { type: 'ticket.resolved', routing: routing() },
      };
    case 'reopened':
    case 'transferRefused':
      return { write: { ...base, condition: { kind: 'any' } } };
  }
}
