import { TicketEvent } from '@switchboard/contracts';
import { Principal } from '../access/principal';
import { canSeeTicket } from '../access/ticket-access';

/** What a console client is told about a ticket event: no customer text, only where the ticket is. */
export function ticketEventSummary(event: TicketEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    ticketId: event.ticket.id,
    number: event.ticket.number,
    status: event.ticket.status,
    queue: event.ticket.queue,
    category: event.ticket.category,
    channel: event.ticket.channel,
    language: event.ticket.language,
    priority: event.ticket.priority,
    assigneeId: event.ticket.assigneeId ?? null,
    routing: event.routing
      ? { agentId: event.routing.agentId ?? null, queuePosition: event.routing.queuePosition ?? null, expectedWaitSeconds: event.routing.expectedWaitSeconds ?? null, reason: event.routing.reason ?? null }
      : null,
    occurredAt: event.occurredAt,
  };
}

/** An agent hears about a ticket only when they could open it: their own, offered to them, or unheld in their queues. */
export function receivesTicketEvent(principal: Principal, event: TicketEvent): boolean {
  const agentId = event.routing?.agentId;
  const assignment =
    event.type === 'ticket.offered' && agentId
      ? { agentId, state: 'offered' as const }
      : event.type === 'ticket.assigned' && agentId
        ? { agentId, state: 'assigned' as const }
        : null;
  const wasMine = principal.agentId !== undefined && agentId === principal.agentId;
  // The agent also hears that an offer to them was withdrawn or a ticket taken from them.
  return wasMine || canSeeTicket(principal, { queue: event.ticket.queue, status: event.ticket.status, assigneeId: event.ticket.assigneeId, assignment });
}

/** Queue statistics an agent sees: their queues only. */
export function visibleQueues<T extends { queue: string }>(principal: Principal, queues: T[]): T[] {
  return principal.role === 'agent' ? queues.filter((q) => principal.queues.includes(q.queue)) : queues;
}

/** Presence of agents: supervisors and admins see everyone's, an agent their own. */
export function receivesPresence(principal: Principal, agentId: string): boolean {
  return principal.role !== 'agent' || principal.agentId === agentId;
}
