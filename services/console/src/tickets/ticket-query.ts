import { z } from 'zod';
import { CATEGORIES, CHANNELS, LANGUAGES, TICKET_STATUSES } from '@switchboard/contracts';
import { Principal } from '../access/principal';
import { ticketScopeFilter } from '../access/ticket-access';
import { paginationSchema } from '../api/pagination';

const word = z.string().trim().min(1).max(100);

export const ticketListQuerySchema = paginationSchema
  .extend({
    status: z.enum(TICKET_STATUSES).optional(),
    queue: word.optional(),
    category: z.enum(CATEGORIES).optional(),
    /** `me` or an agent id. */
    assignee: word.optional(),
    channel: z.enum(CHANNELS).optional(),
    language: z.enum(LANGUAGES).optional(),
    /** A ticket number (`42`, `#42`, `SB-42`) or part of the customer's address. */
    q: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type TicketListQuery = z.infer<typeof ticketListQuerySchema>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The MongoDB filter of a ticket list: the caller's scope AND the filters asked for. */
export function ticketListFilter(principal: Principal, query: TicketListQuery): Record<string, unknown> {
  const clauses: Record<string, unknown>[] = [];
  const scope = ticketScopeFilter(principal);
  if (Object.keys(scope).length) clauses.push(scope);
  if (query.status) clauses.push({ status: query.status });
  if (query.queue) clauses.push({ queue: query.queue });
  if (query.category) clauses.push({ category: query.category });
  if (query.channel) clauses.push({ channel: query.channel });
  if (query.language) clauses.push({ language: query.language });
  if (query.assignee) clauses.push({ assigneeId: query.assignee === 'me' ? (principal.agentId ?? principal.id) : query.assignee });
  if (query.q) {
    const number = /^(?:#|SB-)?(\d{1,12})$/i.exec(query.q);
    const address = { 'contact.address': { $regex: escapeRegExp(query.q), $options: 'i' } };
    clauses.push(number ? { $or: [{ number: Number(number[1]) }, address] } : address);
  }
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}
