import { Collection, Connection } from 'mongoose';

/** Who did what and when in the console. Owned by the console; entries are never changed. */
export interface ConsoleAuditDocument {
  _id: string;
  at: Date;
  actor: { id: string; email?: string; role: string; agentId?: string };
  /** e.g. `ticket.transfer`, `auth.login`, `workflow.set`. */
  action: string;
  /** What it was done to: a ticket id, an agent id, a template key. */
  target?: string;
  /** The command published, when there was one. */
  commandId?: string;
  details?: Record<string, unknown>;
  outcome: 'accepted' | 'refused';
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  from?: Date;
  to?: Date;
  skip: number;
  limit: number;
}

export class ConsoleAuditRepository {
  readonly entries: Collection<ConsoleAuditDocument>;

  constructor(connection: Connection) {
    this.entries = connection.collection<ConsoleAuditDocument>('console_audit');
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ at: -1 });
    await this.entries.createIndex({ 'actor.id': 1, at: -1 });
  }

  async add(entry: ConsoleAuditDocument): Promise<void> {
    await this.entries.insertOne(entry);
  }

  async query(query: AuditQuery): Promise<{ items: ConsoleAuditDocument[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (query.actor) filter['actor.id'] = query.actor;
    if (query.action) filter.action = query.action;
    if (query.target) filter.target = query.target;
    if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    const [items, total] = await Promise.all([
      this.entries.find(filter).sort({ at: -1, _id: 1 }).skip(query.skip).limit(query.limit).toArray(),
      this.entries.countDocuments(filter),
    ]);
    return { items, total };
  }
}
