import { Principal } from './principal';

/** The fields of a ticket that decide who sees it. */
export interface TicketScopeFields {
  queue: string;
  status: string;
  assigneeId?: string;
  assignment?: { agentId: string; state: 'offered' | 'assigned' } | null;
}

/**
 * Supervisors and admins see every ticket. An agent sees the tickets assigned or offered to them,
 * and the unresolved tickets of their queues that no other agent holds.
 */
export function canSeeTicket(principal: Principal, ticket: TicketScopeFields): boolean {
  if (principal.role !== 'agent') return true;
  const me = principal.agentId;
  if (!me) return false;
  if (ticket.assigneeId === me || ticket.assignment?.agentId === me) return true;
  const heldByOther = ticket.assigneeId !== undefined || ticket.assignment?.state === 'assigned';
  return principal.queues.includes(ticket.queue) && ticket.status !== 'resolved' && !heldByOther;
}

/** The same rule as a MongoDB filter, for lists; `{}` for those who see everything. */
export function ticketScopeFilter(principal: Principal): Record<string, unknown> {
  if (principal.role !== 'agent') return {};
  const me = principal.agentId;
  if (!me) return { _id: { $in: [] } };
  return {
    $or: [
      { assigneeId: me },
      { 'assignment.agentId': me },
      { queue: { $in: principal.queues }, status: { $ne: 'resolved' }, assigneeId: { $exists: false }, 'assignment.state': { $ne: 'assigned' } },
    ],
  };
}

export type TicketAction = 'accept' | 'reject' | 'reply' | 'notes' | 'pending' | 'resolve' | 'transfer' | 'category';

/**
 * Beyond seeing the ticket: an agent answers only offers made to them, and replies, changes
 * status or category only on tickets they hold or may take from their queue; transfer to another
 * agent or queue is for supervisors (an agent may hand a ticket back to routing).
 */
export function actionRefusal(principal: Principal, ticket: TicketScopeFields, action: TicketAction, transferKind?: 'agent' | 'queue' | 'workflow'): string | undefined {
  if (!canSeeTicket(principal, ticket)) return 'this ticket is not in your queues';
  if (principal.role !== 'agent') return undefined;
  const me = principal.agentId;
  const holds = ticket.assigneeId === me || (ticket.assignment?.agentId === me && ticket.assignment?.state === 'assigned');
  if (action === 'accept' || action === 'reject') return ticket.assignment?.agentId === me && ticket.assignment?.state === 'offered' ? undefined : 'there is no offer of this ticket to you';
  if (action === 'transfer') {
    if (transferKind !== 'workflow') return 'only supervisors transfer to an agent or a queue';
    return holds ? undefined : 'you do not hold this ticket';
  }
  if (action === 'notes') return undefined;
  return holds ? undefined : 'accept the ticket first';
}
