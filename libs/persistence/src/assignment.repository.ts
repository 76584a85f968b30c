import { Collection, Connection } from 'mongoose';
import { TicketEvent, TicketRouting } from '@switchboard/contracts';
import { findByIds } from './find-by-ids';
import { isDuplicateKey } from './mongo-connection';
import { TicketDocument } from './ticket.schema';

/** Who holds the ticket now: an open offer or an accepted assignment. Absent while it waits. */
export interface AssignmentRecord {
  agentId: string;
  state: 'offered' | 'assigned';
  at: Date;
  offerExpiresAt?: Date;
  /** Lease epoch of the router that made it. */
  epoch: number;
}

/** One routing decision as stored: the per-ticket explanation log. */
export interface RoutingDecisionRecord {
  type: string;
  at: Date;
  agentId?: string;
  queue?: string;
  reason?: string;
  explanation: string[];
  epoch: number;
}

/**
 * One entry of a ticket's routing log, `_id` `<ticketId>#<seq>`: the truth about the ticket's
 * assignment. Entry `seq` can be inserted once, so of two routers that both believe they are next
 * to decide about a ticket, exactly one succeeds.
 */
export interface RoutingLogDocument {
  _id: string;
  ticketId: string;
  seq: number;
  epoch: number;
  decision: RoutingDecisionRecord;
  /** The assignment after this decision (null: nobody holds it). */
  assignment: AssignmentRecord | null;
  resolved: boolean;
  /**
   * What copying the entry onto its ticket changes besides the assignment, as its writer planned
   * it, so a new lease holder finishing the copy makes exactly the same change (see `applyEntry`).
   * Absent in entries written before it was stored: `legacyTicketChange` derives it.
   */
  ticketChange?: TicketChange;
  /** The ticket event the writer publishes once the copy is made (absent: none, or an entry from before it was stored). */
  owes?: OwedTicketEvent;
}

/**
 * Fields of the ticket document to set and unset. Field paths are kept as values, not keys: some
 * (`routing.reason`) hold a dot, which a stored key may not on every MongoDB-wire server.
 */
export interface TicketChange {
  set: { field: string; value: unknown }[];
  unset: string[];
}

/** A ticket event owed for a log entry: its type and its routing, but the explanation (the entry's decision has it). */
export interface OwedTicketEvent {
  type: TicketEvent['type'];
  routing: Omit<TicketRouting, 'explanation'>;
}

/**
 * Entry `<agentId>#<seq>`: a router is about to give this agent a ticket (an offer or an
 * assignment takes one of their slots). Only one router can write each entry, so a deposed holder
 * and a new one can never both fill the same agent's slots from two different views of their load.
 * The entries are fences only; the agent's load is what the tickets' routing logs say they hold.
 */
export interface AgentSlotEntry {
  _id: string;
  agentId: string;
  seq: number;
  epoch: number;
  ticketId: string;
  at: Date;
}

/** A ticket with what routing added to it (a copy of the log's state, for reading). */
export interface RoutedTicketDocument extends TicketDocument {
  routingSeq?: number;
  routingEpoch?: number;
  assignment?: AssignmentRecord;
  queuePosition?: number;
  expectedWaitSeconds?: number;
  /** Retention pruned its routing log (all but the last entry) after it was resolved. */
  routingLogPruned?: boolean;
  routing: TicketDocument['routing'] & { reason?: string; decisions?: RoutingDecisionRecord[]; firstRespondedAt?: Date };
}

export interface TicketRoutingWrite {
  ticketId: string;
  /** The entry's number: one more than the last one the writer knows of. */
  seq: number;
  epoch: number;
  assignment: AssignmentRecord | null;
  resolved: boolean;
  decision: RoutingDecisionRecord;
  /** Fields of the ticket document to set or unset with it (queue, status, assignee, position...). */
  set?: Record<string, unknown>;
  unset?: string[];
  /** The ticket event the writer will publish after the copy (stored, so a new holder can publish it if the writer dies first). */
  owes?: OwedTicketEvent;
}

/**
 * For an entry written before entries stored their ticket change: the status that goes with the
 * assignment it states (what the first takeover repair derived).
 */
export function legacyTicketChange(entry: Pick<RoutingLogDocument, 'assignment' | 'decision' | 'resolved'>): TicketChange {
  const holder = entry.assignment;
  const type = entry.decision.type;
  const set: TicketChange['set'] = [];
  const unset: string[] = [];
  if (entry.resolved) {
    set.push({ field: 'status', value: 'resolved' }, { field: 'updatedAt', value: entry.decision.at });
    unset.push('queuePosition', 'expectedWaitSeconds', 'routingLogPruned');
  } else if (holder) {
    set.push({ field: 'status', value: holder.state === 'assigned' ? 'assigned' : 'open' });
    if (holder.state === 'assigned') set.push({ field: 'assigneeId', value: holder.agentId });
    unset.push('queuePosition', 'expectedWaitSeconds');
  } else {
    if (type === 'offerWithdrawn' || type === 'unassigned') set.push({ field: 'status', value: 'open' });
    if (type === 'unassigned') unset.push('assigneeId');
  }
  return { set, unset };
}

/**
 * The router's routing writes. Why a log and not a conditional update of the ticket: FerretDB v1
 * (our default server) runs an update as read-then-write, so two conditional updates of one
 * document can both match (and concurrent `$inc`s lose counts); an insert under a unique `_id` is
 * atomic on every MongoDB-wire server. The ticket document carries a copy for readers.
 */
export class AssignmentRepository {
  readonly tickets: Collection<RoutedTicketDocument>;
  readonly log: Collection<RoutingLogDocument>;
  readonly agentSlots: Collection<AgentSlotEntry>;

  constructor(connection: Connection) {
    this.tickets = connection.collection<RoutedTicketDocument>('tickets');
    this.log = connection.collection<RoutingLogDocument>('routing_log');
    this.agentSlots = connection.collection<AgentSlotEntry>('agent_slot_log');
  }

  async ensureIndexes(): Promise<void> {
    await this.log.createIndex({ ticketId: 1, seq: 1 });
    await this.agentSlots.createIndex({ agentId: 1, seq: -1 });
  }

  /** Takes entry `seq` of the agent's slot log; false when another router took it first. */
  async fenceAgent(entry: Omit<AgentSlotEntry, '_id'>): Promise<boolean> {
    try {
      await this.agentSlots.insertOne({ _id: `${entry.agentId}#${entry.seq}`, ...entry });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The last slot log entry of each of these agents (those with one). */
  async lastAgentSlots(agentIds: string[]): Promise<Map<string, AgentSlotEntry>> {
    const last = new Map<string, AgentSlotEntry>();
    for (const agentId of agentIds) {
      const [entry] = await this.agentSlots.find({ agentId }).sort({ seq: -1 }).limit(1).toArray();
      if (entry) last.set(agentId, entry);
    }
    return last;
  }

  /** Appends the entry, then copies it onto the ticket (`applyEntry`); null (nothing written) when entry `seq` exists already. */
  async write(write: TicketRoutingWrite): Promise<RoutedTicketDocument | null> {
    const entry = await this.append(write);
    return entry && this.applyEntry(entry);
  }

  /**
   * The first step of `write`: appends the entry, with the change it makes to the ticket and the
   * event it owes; null when entry `seq` exists already. Alone, it is what a writer that dies
   * before the copy leaves behind.
   */
  async append(write: TicketRoutingWrite): Promise<RoutingLogDocument | null> {
    const entry: RoutingLogDocument = {
      _id: `${write.ticketId}#${write.seq}`,
      ticketId: write.ticketId,
      seq: write.seq,
      epoch: write.epoch,
      decision: write.decision,
      assignment: write.assignment,
      resolved: write.resolved,
      ticketChange: { set: Object.entries(write.set ?? {}).map(([field, value]) => ({ field, value })), unset: write.unset ?? [] },
      ...(write.owes ? { owes: write.owes } : {}),
    };
    try {
      await this.log.insertOne(entry);
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    return entry;
  }

  /**
   * The one way a log entry reaches its ticket: by its writer right after appending it, and by a
   * new lease holder when the writer died between the two steps (the log has the entry, the
   * ticket does not). The assignment the entry states, the change its writer planned, its
   * decision in the ticket's explanation log, and its number.
   */
  async applyEntry(entry: RoutingLogDocument): Promise<RoutedTicketDocument | null> {
    const change = entry.ticketChange ?? legacyTicketChange(entry);
    const set = Object.fromEntries(change.set.map(({ field, value }) => [field, value]));
    const unset = [...change.unset, ...(entry.assignment ? [] : ['assignment'])];
    // A copy from a writer that stalled between the two steps must not overwrite a later one.
    // The ticket as it is after the copy comes back with it; refused (a later copy is there), it is read.
    const copied = await this.tickets.findOneAndUpdate(
      { _id: entry.ticketId, $or: [{ routingSeq: { $exists: false } }, { routingSeq: { $lt: entry.seq } }] },
      {
        $set: { ...set, ...(entry.assignment ? { assignment: entry.assignment } : {}), routingSeq: entry.seq, routingEpoch: entry.epoch },
        $push: { 'routing.decisions': entry.decision },
        ...(unset.length ? { $unset: Object.fromEntries(unset.map((field) => [field, 1])) } : {}),
      } as never,
      { returnDocument: 'after' },
    );
    return copied ?? this.tickets.findOne({ _id: entry.ticketId });
  }

  /**
   * The last log entry of one ticket, by `_id` lookups: entries are numbered one after another
   * from 1, so from the one the ticket's copy names (`routingSeq`, or none) it reads forward until
   * an entry is missing; usually the copy is current and that is two lookups. Only when the entry
   * the copy names is gone (retention pruned it under a copy that fell behind) does it fall back to
   * reading the ticket's whole log (`latest`). FerretDB v1 matches any other filter document by
   * document, so `latest` costs the size of the whole log collection.
   */
  async latestOf(ticket: Pick<RoutedTicketDocument, '_id' | 'routingSeq'>): Promise<RoutingLogDocument | undefined> {
    const known = ticket.routingSeq ?? 0;
    let last: RoutingLogDocument | null = null;
    if (known > 0) {
      last = await this.log.findOne({ _id: `${ticket._id}#${known}` });
      if (!last) return (await this.latest([ticket._id])).get(ticket._id);
    }
    for (let seq = known + 1; ; seq++) {
      const next = await this.log.findOne({ _id: `${ticket._id}#${seq}` });
      if (!next) return last ?? undefined;
      last = next;
    }
  }

  /**
   * `latestOf` for many tickets with one `$in` read of the entry each copy names and the one after
   * it: a ticket whose copy is current (the usual case) costs nothing more; one whose copy fell
   * behind, or whose named entry is gone, is read on alone as `latestOf` does.
   */
  async latestOfMany(tickets: Pick<RoutedTicketDocument, '_id' | 'routingSeq'>[]): Promise<Map<string, RoutingLogDocument | undefined>> {
    const ids = tickets.flatMap((t) => ((t.routingSeq ?? 0) > 0 ? [`${t._id}#${t.routingSeq}`, `${t._id}#${(t.routingSeq ?? 0) + 1}`] : [`${t._id}#1`]));
    const found = await findByIds(this.log, ids);
    const latest = new Map<string, RoutingLogDocument | undefined>();
    for (const ticket of tickets) {
      const known = ticket.routingSeq ?? 0;
      const next = found.get(`${ticket._id}#${known + 1}`);
      if (next || (known > 0 && !found.has(`${ticket._id}#${known}`))) latest.set(ticket._id, await this.latestOf(ticket));
      else latest.set(ticket._id, known > 0 ? found.get(`${ticket._id}#${known}`) : undefined);
    }
    return latest;
  }

  /** Tickets by `_id`, in one `$in` read. */
  findMany(ticketIds: string[]): Promise<Map<string, RoutedTicketDocument>> {
    return findByIds(this.tickets, ticketIds);
  }

  /** The last log entry of each of these tickets (those with one). */
  async latest(ticketIds: string[]): Promise<Map<string, RoutingLogDocument>> {
    const latest = new Map<string, RoutingLogDocument>();
    for (let i = 0; i < ticketIds.length; i += 500) {
      const entries = await this.log.find({ ticketId: { $in: ticketIds.slice(i, i + 500) } }).toArray();
      for (const entry of entries) if ((latest.get(entry.ticketId)?.seq ?? -1) < entry.seq) latest.set(entry.ticketId, entry);
    }
    return latest;
  }

  /** A ticket's routing log, in order. */
  history(ticketId: string): Promise<RoutingLogDocument[]> {
    return this.log.find({ ticketId }).sort({ seq: 1 }).toArray();
  }

  /** Every ticket not resolved (by its own status), oldest first: what a new lease holder rebuilds from. */
  unresolved(): Promise<RoutedTicketDocument[]> {
    return this.tickets.find({ status: { $ne: 'resolved' } }).sort({ openedAt: 1, _id: 1 }).toArray();
  }

  /** Ids of unresolved tickets last touched before `before`. */
  async unresolvedIds(before: Date): Promise<string[]> {
    const docs = await this.tickets.find({ status: { $ne: 'resolved' }, updatedAt: { $lt: before } }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  /**
   * Retention: for up to `limit` tickets resolved before `before` and not pruned since, deletes
   * their routing log but the last entry (it carries the sequence on if the ticket is reopened,
   * so entry ids, and the event ids made from them, are never used twice). Open tickets' logs are
   * never touched: a rebuild reads them. Returns the tickets pruned and the entries deleted.
   */
  async pruneResolvedLogs(before: Date, limit: number): Promise<{ tickets: number; entries: number }> {
    const ids = (
      await this.tickets.find({ status: 'resolved', updatedAt: { $lt: before }, routingLogPruned: { $ne: true } }, { projection: { _id: 1 } }).limit(limit).toArray()
    ).map((t) => t._id);
    if (ids.length === 0) return { tickets: 0, entries: 0 };
    const latest = await this.latest(ids);
    const doomed: string[] = [];
    for (const [ticketId, entry] of latest) {
      if (!entry.resolved) continue;
      for (let seq = 1; seq < entry.seq; seq++) doomed.push(`${ticketId}#${seq}`);
    }
    let entries = 0;
    for (let i = 0; i < doomed.length; i += 1000) entries += (await this.log.deleteMany({ _id: { $in: doomed.slice(i, i + 1000) } })).deletedCount;
    // Only over tickets still resolved: one reopened meanwhile is pruned again after it is resolved again.
    await this.tickets.updateMany({ _id: { $in: ids }, status: 'resolved' }, { $set: { routingLogPruned: true } });
    return { tickets: ids.length, entries };
  }

  /** Retention: each agent's slot log older than `before`, but its last entry (a new holder reads that one). */
  async pruneAgentSlots(agentIds: string[], before: Date): Promise<number> {
    let deleted = 0;
    for (const [agentId, last] of await this.lastAgentSlots(agentIds)) {
      deleted += (await this.agentSlots.deleteMany({ agentId, seq: { $lt: last.seq }, at: { $lt: before } })).deletedCount;
    }
    return deleted;
  }

  find(ticketId: string): Promise<RoutedTicketDocument | null> {
    return this.tickets.findOne({ _id: ticketId });
  }
}
