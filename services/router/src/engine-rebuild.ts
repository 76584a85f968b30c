import { AgentDocument, AssignmentRecord, RoutedTicketDocument, RoutingDecisionRecord } from '@switchboard/persistence';
import { AgentProfile, Decision, RoutingEngine, SlaTimerKind, StoredRouting, Workflow } from '@switchboard/routing';
import { ticketAttributes } from './ticket-attributes';

/** An unresolved ticket with its assignment as its routing log has it. */
export interface StoredTicket {
  ticket: RoutedTicketDocument;
  assignment: AssignmentRecord | null;
}

export interface RebuiltEngine {
  engine: RoutingEngine;
  /** Decisions to store: what could not be kept as it was, SLA timers that fell due meanwhile, then what the agents' presence set in motion. */
  decisions: Decision[];
}

/**
 * Builds the engine a new lease holder (or a new workflow) runs from what is stored:
 * 1. agents, all offline, so nobody is given work before every ticket is back in place;
 * 2. every ticket restored where it was (queue, step, priority, age) with its clocks: SLA due times
 *    from when it opened (or was reopened), warnings and breaches already decided not repeated, an
 *    open offer kept until its stored expiry, an assignment back with its agent; what cannot be
 *    kept (agent unknown, offline, out of slots; a queue the workflow dropped) is said so;
 * 3. the agents' stored presence, so the engine fills every free slot;
 * 4. waiting tickets whose place changed are told their new place.
 */
export function rebuildEngine(workflow: Workflow, agents: AgentDocument[], tickets: StoredTicket[], now: number): RebuiltEngine {
  const engine = new RoutingEngine(workflow);
  const decisions: Decision[] = [];
  const keep = (ds: Decision[]) => decisions.push(...ds.filter((d) => d.type !== 'waiting'));
  const presence = new Map(agents.map((a) => [a._id, a.presence]));
  for (const agent of agents) engine.apply({ type: 'agent', agent: { ...(agent.profile as AgentProfile), id: agent._id, presence: 'offline' } }, now);

  for (const { ticket, assignment } of tickets) {
    const stored = storedRouting(ticket);
    const agentPresence = assignment ? presence.get(assignment.agentId) : undefined;
    if (assignment && agentPresence !== undefined) {
      // Offers only stand with an available agent; assignments with anyone not offline (away keeps them).
      const stays = assignment.state === 'offered' ? agentPresence === 'available' : agentPresence !== 'offline';
      if (stays) stored.holder = { agentId: assignment.agentId, state: assignment.state, ...(assignment.offerExpiresAt ? { offerExpiresAt: new Date(assignment.offerExpiresAt).getTime() } : {}) };
      else decisions.push(lost(ticket._id, assignment, now, `${assignment.agentId} is ${agentPresence}`));
    } else if (assignment) {
      // Unknown agent: the engine says so when it cannot restore the holder.
      stored.holder = { agentId: assignment.agentId, state: assignment.state };
    }
    keep(engine.apply({ type: 'restore', ticketId: ticket._id, attributes: ticketAttributes(ticket), stored }, now));
  }
  for (const agent of agents) {
    if (engine.agent(agent._id)?.presence !== agent.presence) decisions.push(...engine.apply({ type: 'presence', agentId: agent._id, presence: agent.presence }, now));
  }
  // Whoever still waits somewhere new is told their place: the old holder's positions are stale by now.
  for (const { ticket, assignment } of tickets) {
    const view = engine.ticket(ticket._id);
    const place = view?.status === 'waiting' ? engine.queuePosition(ticket._id, now) : undefined;
    if (!view || !place) continue;
    if (!assignment && ticket.queue === place.queue && ticket.queuePosition === place.position) continue;
    decisions.push({
      type: 'waiting',
      ticketId: ticket._id,
      queue: place.queue,
      reason: view.reason,
      position: place.position,
      ...(place.expectedWaitSeconds !== undefined ? { expectedWaitSeconds: place.expectedWaitSeconds } : {}),
      at: now,
      explanation: ['routing rebuilt from what is stored: place in the queue recounted', place.explanation],
    });
  }
  return { engine, decisions };
}

/** What the ticket document and its copy of the routing log say about where the ticket is and since when. */
export function storedRouting(ticket: RoutedTicketDocument): StoredRouting {
  const decisions: RoutingDecisionRecord[] = ticket.routing.decisions ?? [];
  const time = (d: Date | string) => new Date(d).getTime();
  let lastReopen = -1;
  decisions.forEach((d, i) => d.type === 'reopened' && (lastReopen = i));
  const since = decisions.slice(lastReopen + 1);
  const reopenedAt = lastReopen >= 0 ? time(decisions[lastReopen].at) : undefined;
  const createdAt = time(ticket.openedAt);
  const lastRouted = [...since].reverse().find((d) => d.type === 'routed');
  const fired = new Set<SlaTimerKind>();
  for (const d of since) {
    if (d.type !== 'slaWarning' && d.type !== 'slaBreached') continue;
    const target = d.explanation[0]?.startsWith('first-response') ? 'first-response' : 'resolution';
    fired.add(`${target}-${d.type === 'slaWarning' ? 'warning' : 'breach'}`);
  }
  return {
    createdAt,
    queuedAt: reopenedAt ?? createdAt,
    queue: ticket.queue,
    priority: ticket.priority,
    filter: ticket.routing.filter,
    step: ticket.routing.step,
    stepEnteredAt: lastRouted ? time(lastRouted.at) : (reopenedAt ?? createdAt),
    ...(ticket.routing.firstRespondedAt ? { firstRespondedAt: time(ticket.routing.firstRespondedAt) } : {}),
    ...(reopenedAt !== undefined ? { reopenedAt } : {}),
    slaFired: [...fired],
    // Waits for the customer: the engine drops those from before the clocks started.
    ...(ticket.slaPausedAt ? { slaPausedAt: time(ticket.slaPausedAt) } : {}),
    ...(ticket.slaPauses?.length ? { slaPauses: ticket.slaPauses.map((p) => ({ from: time(p.from), to: time(p.to) })) } : {}),
  };
}

function lost(ticketId: string, assignment: AssignmentRecord, at: number, why: string): Decision {
  const explanation = [`${assignment.state === 'offered' ? 'offer to' : 'assignment to'} ${assignment.agentId} could not be restored: ${why}`, 'back to its queue'];
  return assignment.state === 'offered'
    ? { type: 'offerWithdrawn', ticketId, agentId: assignment.agentId, reason: 'agent-away', at, explanation }
    : { type: 'unassigned', ticketId, agentId: assignment.agentId, reason: 'agent-offline', at, explanation };
}
