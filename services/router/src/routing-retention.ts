import { Connection } from 'mongoose';
import { AgentRepository, AssignmentInboxRepository, AssignmentRepository, deleteProcessedEvents, RouterLeaseRepository } from '@switchboard/persistence';

export interface RetentionOptions {
  inboxRetentionMs: number;
  logRetentionMs: number;
  processedEventRetentionMs: number;
  /** Items per delete, so one sweep never holds the database (or the lease holder) for long. */
  batchSize: number;
  /** Batches per kind per sweep; what is left goes on the next sweep. */
  maxBatches: number;
}

export interface RetentionCounts {
  inboxItems: number;
  prunedTickets: number;
  logEntries: number;
  agentSlotEntries: number;
  leaseTerms: number;
  processedEvents: number;
}

/** Consumer groups whose processed-event keys are the router's. */
export const ROUTER_CONSUMER_GROUPS = ['router', 'router-commands'];

/**
 * What the router stores grows with every message and decision: the lease holder deletes what no
 * one needs any more, in batches (FerretDB v1.24 does not implement TTL indexes: "Index option
 * expireAfterSeconds is not implemented yet"). Never deleted: inbox items not yet processed, any
 * log entry of an unresolved ticket, the last log entry of any ticket, each agent's last slot
 * entry, the latest lease term - everything a rebuild reads.
 */
export class RoutingRetention {
  constructor(
    private readonly inbox: AssignmentInboxRepository,
    private readonly assignments: AssignmentRepository,
    private readonly agents: AgentRepository,
    private readonly leases: RouterLeaseRepository,
    private readonly connection: Connection,
    private readonly options: RetentionOptions,
  ) {}

  /** One sweep; `keepGoing` is asked between batches (the lease holder stops when its lease runs short). */
  async sweep(now: Date, keepGoing: () => Promise<boolean> = async () => true, leaseName = 'assignment'): Promise<RetentionCounts> {
    const { batchSize, maxBatches } = this.options;
    const before = (ms: number) => new Date(now.getTime() - ms);
    const counts: RetentionCounts = { inboxItems: 0, prunedTickets: 0, logEntries: 0, agentSlotEntries: 0, leaseTerms: 0, processedEvents: 0 };
    const batches = async (run: () => Promise<number>) => {
      for (let i = 0; i < maxBatches && (await keepGoing()); i++) if ((await run()) < batchSize) return;
    };
    await batches(async () => {
      const n = await this.inbox.deleteProcessedBefore(before(this.options.inboxRetentionMs), batchSize);
      counts.inboxItems += n;
      return n;
    });
    await batches(async () => {
      const pruned = await this.assignments.pruneResolvedLogs(before(this.options.logRetentionMs), batchSize);
      counts.prunedTickets += pruned.tickets;
      counts.logEntries += pruned.entries;
      return pruned.tickets;
    });
    if (await keepGoing()) {
      const agentIds = (await this.agents.all()).map((a) => a._id);
      counts.agentSlotEntries += await this.assignments.pruneAgentSlots(agentIds, before(this.options.logRetentionMs));
      counts.leaseTerms += await this.leases.deleteEndedBefore(leaseName, before(this.options.logRetentionMs));
    }
    await batches(async () => {
      const n = await deleteProcessedEvents(this.connection, ROUTER_CONSUMER_GROUPS, before(this.options.processedEventRetentionMs), batchSize);
      counts.processedEvents += n;
      return n;
    });
    return counts;
  }
}
