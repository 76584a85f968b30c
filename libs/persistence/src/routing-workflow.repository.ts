import { Collection, Connection } from 'mongoose';
import { isDuplicateKey } from './mongo-connection';

export interface WorkflowAuthor {
  id: string;
  role: string;
}

/** One version of the routing workflow; `_id` is the version number, the highest is current. Never updated. */
export interface WorkflowVersionDocument {
  _id: number;
  source: string;
  author: WorkflowAuthor;
  at: Date;
  /** `seed`: the checked-in (or ROUTING_WORKFLOW_FILE) YAML on first start; `command`: a `workflow.set`. */
  origin: 'seed' | 'command';
  /** The `workflow.set` command's event id, so a command applied twice (redelivery, takeover) stores one version. */
  commandId?: string;
}

/** A `workflow.set` that was refused, with every problem found; `_id` is the command's event id. */
export interface WorkflowRejectionDocument {
  _id: string;
  source: string;
  author: WorkflowAuthor;
  at: Date;
  errors: { path: string; message: string }[];
}

export type WorkflowVersionSummary = Omit<WorkflowVersionDocument, 'source'>;

/**
 * Workflow versions, insert-only: a new version is an insert under the next number, so of two
 * writers that both think they are next exactly one succeeds (FerretDB v1 has no atomic
 * conditional update; a unique `_id` is atomic everywhere).
 */
export class RoutingWorkflowRepository {
  readonly versions: Collection<WorkflowVersionDocument>;
  readonly rejections: Collection<WorkflowRejectionDocument>;

  constructor(connection: Connection) {
    this.versions = connection.collection<WorkflowVersionDocument>('routing_workflows');
    this.rejections = connection.collection<WorkflowRejectionDocument>('routing_workflow_rejections');
  }

  async ensureIndexes(): Promise<void> {
    await this.versions.createIndex({ commandId: 1 });
    await this.rejections.createIndex({ at: -1 });
  }

  async current(): Promise<WorkflowVersionDocument | null> {
    return (await this.versions.find({}).sort({ _id: -1 }).limit(1).toArray())[0] ?? null;
  }

  /** The current version's number only (every instance polls this). */
  async currentVersion(): Promise<number | undefined> {
    return (await this.versions.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray())[0]?._id;
  }

  find(version: number): Promise<WorkflowVersionDocument | null> {
    return this.versions.findOne({ _id: version });
  }

  findByCommand(commandId: string): Promise<WorkflowVersionDocument | null> {
    return this.versions.findOne({ commandId });
  }

  /** Newest first, without the source. */
  list(limit: number): Promise<WorkflowVersionSummary[]> {
    return this.versions.find({}, { projection: { source: 0 } }).sort({ _id: -1 }).limit(limit).toArray();
  }

  /** Inserts version `_id`; false when that number is taken (someone stored a version meanwhile). */
  async insert(version: WorkflowVersionDocument): Promise<boolean> {
    try {
      await this.versions.insertOne(version);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async reject(rejection: WorkflowRejectionDocument): Promise<void> {
    try {
      await this.rejections.insertOne(rejection);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  listRejections(limit: number): Promise<WorkflowRejectionDocument[]> {
    return this.rejections.find({}).sort({ at: -1 }).limit(limit).toArray();
  }
}
