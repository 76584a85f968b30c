import { AgentDocument, AssignmentRecord, TicketDocument } from '@switchboard/persistence';
import { AgentProfile, Decision, RoutingEngine, Workflow } from '@switchboard/routing';
import { ticketAttributes } from './ticket-attributes';

/** An unresolved ticket with its assignment as its routing log has it. */
export interface StoredTicket {
  ticket: TicketDocument;
  assignment: AssignmentRecord | null;
}

export interface RebuiltEngine {
  engine: RoutingEngine;
  /** Decisions to store: assignments that could not be restored, then what the agents' presence set in motion. */
  decisions: Decision[];
}

/**
 * Builds the engine a new lease holder runs from what is stored, in three passes, because the
 * engine has no "restore" and gives a free agent work the moment they are available:
 * 1. agents, all offline; 2. each assigned ticket with its agent alone available (arrival, then a
 * transfer to that agent if the queue would not give it to them, then accept), the agent set away
 * after (away keeps assigned tickets); 3. every other ticket waits, then the agents get their stored
 * presence, and the engine offers the waiting tickets to whoever is free. Only pass 3's decisions
 * (and the offers and assignments that could not be kept) are new; the rest replays what is stored.
 * Time restarts at `now`: queue order is kept (oldest first), SLA clocks start again.
 */
export function rebuildEngine(workflow: Workflow, agents: AgentDocument[], tickets: StoredTicket[], now: number): RebuiltEngine {
  const engine = new RoutingEngine(workflow);
  const decisions: Decision[] = [];
  // Open offers lived in the old holder's memory only (their timers too): withdrawn, offered again below.
  for (const { ticket, assignment } of tickets) {
    if (assignment?.state === 'offered') {
      decisions.push({
        type: 'offerWithdrawn',
        ticketId: ticket._id,
        agentId: assignment.agentId,
        reason: 'timed-out',
        at: now,
        explanation: [`the offer to ${assignment.agentId} lapsed when routing changed hands`, 'back to its queue, offered again'],
      });
    }
  }
  for (const agent of agents) engine.apply({ type: 'agent', agent: { ...(agent.profile as AgentProfile), id: agent._id, presence: 'offline' } }, now);

  for (const { ticket, assignment } of tickets) {
    const agentId = assignment?.state === 'assigned' ? assignment.agentId : undefined;
    if (!agentId) continue;
    if (!engine.agent(agentId)) {
      engine.apply({ type: 'arrival', ticketId: ticket._id, attributes: ticketAttributes(ticket) }, now);
      decisions.push(lost(ticket._id, agentId, now, `${agentId} is not a known agent`));
      continue;
    }
    engine.apply({ type: 'presence', agentId, presence: 'available' }, now);
    engine.apply({ type: 'arrival', ticketId: ticket._id, attributes: ticketAttributes(ticket) }, now);
    if (engine.ticket(ticket._id)?.agentId !== agentId) engine.apply({ type: 'transfer', ticketId: ticket._id, to: { kind: 'agent', agentId } }, now);
    if (engine.ticket(ticket._id)?.status === 'offered') engine.apply({ type: 'accept', ticketId: ticket._id, agentId }, now);
    const view = engine.ticket(ticket._id);
    engine.apply({ type: 'presence', agentId, presence: 'away' }, now);
    if (view?.status !== 'assigned' || view.agentId !== agentId) decisions.push(lost(ticket._id, agentId, now, `${agentId} has no slot for it any more`));
  }

  for (const { ticket } of tickets) {
    if (!engine.ticket(ticket._id)) engine.apply({ type: 'arrival', ticketId: ticket._id, attributes: ticketAttributes(ticket) }, now);
  }
  for (const agent of agents) {
    if (engine.agent(agent._id)?.presence !== agent.presence) decisions.push(...engine.apply({ type: 'presence', agentId: agent._id, presence: agent.presence }, now));
  }
  // Whoever still waits is told their place afresh: the old holder's positions are stale by now.
  for (const { ticket } of tickets) {
    const view = engine.ticket(ticket._id);
    const place = view?.status === 'waiting' ? engine.queuePosition(ticket._id, now) : undefined;
    if (!view || !place) continue;
    decisions.push({
      type: 'waiting',
      ticketId: ticket._id,
      queue: place.queue,
      reason: view.reason,
      position: place.position,
      ...(place.expectedWaitSeconds !== undefined ? { expectedWaitSeconds: place.expectedWaitSeconds } : {}),
      at: now,
      explanation: ['routing changed hands: place in the queue recounted', place.explanation],
    });
  }
  return { engine, decisions };
}

function lost(ticketId: string, agentId: string, at: number, why: string): Decision {
  return { type: 'unassigned', ticketId, agentId, reason: 'agent-offline', at, explanation: [`assignment to ${agentId} could not be restored when routing changed hands: ${why}`, 'back to its queue'] };
}
