import { Category } from '@switchboard/contracts';

/** How long an agent takes with a ticket, as the simulator needs it. */
export interface Handling {
  handleSeconds: number;
  firstResponseSeconds: number;
}

/** A routing log entry, reduced to what timing needs. */
export interface LogFact {
  ticketId: string;
  type: string;
  at: Date;
}

/** An agent's reply to the customer (not a note). */
export interface ReplyFact {
  ticketId: string;
  at: Date;
}

export interface TimedTicket {
  _id: string;
  category: Category;
  /** Waits for the customer (pending): the agent was not working on it then. */
  slaPauses?: { from: Date; to: Date }[];
}

/** What is assumed where nothing was recorded (no ticket of its category, nor any other, resolved). */
export const HANDLE_SECONDS = 600;
export const FIRST_RESPONSE_SECONDS = 60;
/** A handle time beyond this is a ticket left open, not work: it is cut there. */
const LONGEST_SECONDS = 4 * 3600;
const SHORTEST_SECONDS = 60;

/**
 * Per resolved ticket, as recorded: from its first assignment to the first resolution after it,
 * less the waits for the customer in between (held between one minute and four hours), and from
 * the assignment to the first reply (the handle time when it was resolved without one).
 */
export function observedHandling(tickets: readonly TimedTicket[], log: readonly LogFact[], replies: readonly ReplyFact[]): Map<string, Handling> {
  const assigned = earliest(log.filter((e) => e.type === 'assigned'));
  const resolutions = timesByTicket(log.filter((e) => e.type === 'resolved'));
  const replyTimes = timesByTicket(replies);
  const observed = new Map<string, Handling>();
  for (const ticket of tickets) {
    const start = assigned.get(ticket._id);
    if (start === undefined) continue;
    const end = resolutions.get(ticket._id)?.find((at) => at >= start);
    if (end === undefined) continue;
    const paused = (ticket.slaPauses ?? []).reduce((sum, p) => sum + Math.max(0, Math.min(end, p.to.getTime()) - Math.max(start, p.from.getTime())), 0);
    const handleSeconds = clamp((end - start - paused) / 1000, SHORTEST_SECONDS, LONGEST_SECONDS);
    const reply = replyTimes.get(ticket._id)?.find((at) => at >= start);
    const firstResponseSeconds = reply === undefined ? handleSeconds : clamp((reply - start) / 1000, 0, handleSeconds);
    observed.set(ticket._id, { handleSeconds: Math.round(handleSeconds), firstResponseSeconds: Math.round(firstResponseSeconds) });
  }
  return observed;
}

/**
 * Every ticket's handling: its own where recorded, else the median of its category's recorded
 * ones, else the median of all recorded, else the assumed HANDLE_SECONDS / FIRST_RESPONSE_SECONDS.
 */
export function handlingOfAll(tickets: readonly TimedTicket[], observed: ReadonlyMap<string, Handling>): Map<string, Handling> {
  const byCategory = new Map<Category, Handling[]>();
  for (const ticket of tickets) {
    const own = observed.get(ticket._id);
    if (own) byCategory.set(ticket.category, [...(byCategory.get(ticket.category) ?? []), own]);
  }
  const all = [...observed.values()];
  const fallback: Handling = all.length > 0 ? medianOf(all) : { handleSeconds: HANDLE_SECONDS, firstResponseSeconds: FIRST_RESPONSE_SECONDS };
  const categoryMedian = new Map([...byCategory].map(([category, list]) => [category, medianOf(list)]));
  return new Map(tickets.map((t) => [t._id, observed.get(t._id) ?? categoryMedian.get(t.category) ?? fallback]));
}

/** Each ticket's times, in order. */
function timesByTicket(entries: readonly { ticketId: string; at: Date }[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const e of entries) {
    const list = times.get(e.ticketId) ?? [];
    list.push(e.at.getTime());
    times.set(e.ticketId, list);
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

function earliest(entries: readonly LogFact[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const e of entries) {
    const at = e.at.getTime();
    if (!first.has(e.ticketId) || at < (first.get(e.ticketId) as number)) first.set(e.ticketId, at);
  }
  return first;
}

function medianOf(list: readonly Handling[]): Handling {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
  };
  return { handleSeconds: median(list.map((h) => h.handleSeconds)), firstResponseSeconds: median(list.map((h) => h.firstResponseSeconds)) };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
