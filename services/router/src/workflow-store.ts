import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RoutingWorkflowRepository, WorkflowAuthor, WorkflowVersionDocument } from '@switchboard/persistence';
import { validateWorkflowSource, Workflow, WorkflowIssue } from '@switchboard/routing';

/** The workflow this instance routes with, and where it came from. */
export interface CurrentWorkflow {
  version: number;
  workflow: Workflow;
  source: string;
  author: WorkflowAuthor;
  at: Date;
  origin: WorkflowVersionDocument['origin'];
}

export type WorkflowSetResult = { accepted: true; version: number; repeated: boolean } | { accepted: false; errors: WorkflowIssue[] };

export interface WorkflowStoreOptions {
  /** The YAML stored as version 1 when there is none yet (ROUTING_WORKFLOW_FILE or the checked-in default). */
  seedSource: string;
  /** How often every instance looks for a newer version. */
  pollMs: number;
}

/**
 * The routing workflow as numbered versions in MongoDB (`routing_workflows`), newest current.
 * Every router instance follows the newest version (threading picks a new ticket's queue with it;
 * the lease holder rebuilds its engine with it); only the lease holder stores new ones, from
 * `workflow.set` commands, after `validateWorkflowSource` found nothing wrong. Refused ones are
 * stored too (`routing_workflow_rejections`), with every problem found, so the refusal is visible.
 */
export class WorkflowStore implements OnModuleInit, OnApplicationShutdown {
  private value?: CurrentWorkflow;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: RoutingWorkflowRepository,
    private readonly logger: PinoLogger,
    private readonly options: WorkflowStoreOptions,
  ) {}

  get current(): CurrentWorkflow {
    if (!this.value) throw new Error('the routing workflow is not loaded yet');
    return this.value;
  }

  async onModuleInit(): Promise<void> {
    if ((await this.repository.currentVersion()) === undefined) {
      const seeded = await this.repository.insert({ _id: 1, source: this.options.seedSource, author: { id: 'router', role: 'seed' }, at: new Date(), origin: 'seed' });
      if (seeded) this.logger.info('routing workflow version 1 stored from the workflow file');
    }
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'could not look for a newer routing workflow'));
    }, this.options.pollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Follows the newest stored version that this router can read (a newer one it cannot is logged and skipped). */
  async refresh(): Promise<CurrentWorkflow> {
    const newest = await this.repository.currentVersion();
    if (newest === undefined) throw new Error('no routing workflow stored');
    for (let version = newest; version > (this.value?.version ?? 0); version--) {
      const stored = await this.repository.find(version);
      if (!stored) continue;
      const checked = validateWorkflowSource(stored.source);
      if (!checked.ok) {
        this.logger.error({ version, errors: checked.errors.slice(0, 20) }, 'stored routing workflow version does not validate here: skipped');
        continue;
      }
      this.value = { version, workflow: checked.workflow, source: stored.source, author: stored.author, at: stored.at, origin: stored.origin };
      this.logger.info({ version, author: stored.author.id, origin: stored.origin }, 'routing workflow version in use');
      break;
    }
    return this.current;
  }

  /** Validates and stores a new version (the lease holder, for a `workflow.set` command); the same command twice stores one. */
  async set(source: string, author: WorkflowAuthor, commandId: string, now: Date): Promise<WorkflowSetResult> {
    const earlier = await this.repository.findByCommand(commandId);
    if (earlier) return { accepted: true, version: earlier._id, repeated: true };
    const checked = validateWorkflowSource(source);
    if (!checked.ok) {
      await this.refuse(source, author, commandId, checked.errors, now);
      return { accepted: false, errors: checked.errors };
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const version = ((await this.repository.currentVersion()) ?? 0) + 1;
      if (await this.repository.insert({ _id: version, source, author, at: now, origin: 'command', commandId })) {
        this.value = { version, workflow: checked.workflow, source, author, at: now, origin: 'command' };
        this.logger.info({ version, author: author.id }, 'routing workflow version stored');
        return { accepted: true, version, repeated: false };
      }
    }
    throw new Error('could not store the routing workflow: the next version number kept being taken');
  }

  /** Stores the refusal with its reasons, and logs it. */
  async refuse(source: string, author: WorkflowAuthor, commandId: string, errors: WorkflowIssue[], now: Date): Promise<void> {
    await this.repository.reject({ _id: commandId, source, author, at: now, errors });
    this.logger.warn({ commandId, author: author.id, errors: errors.slice(0, 20) }, 'routing workflow refused');
  }
}
