import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { RoutingWorkflowRepository, WorkflowVersionSummary } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow, validateWorkflowSource, Workflow } from '@switchboard/routing';
import { MONGO_CONNECTION } from '@switchboard/service-kit';

const REFRESH_MS = 5_000;

export interface CurrentWorkflowView {
  version: number | null;
  source: string;
  author: { id: string; role: string } | null;
  at: string | null;
  origin: string | null;
}

/**
 * The workflow the router routes with: the newest version in `routing_workflows` (the router
 * stores it, the console only reads), followed every few seconds; the built-in default until the
 * router stored its first one. SLA clocks and queue names in the console come from it.
 */
@Injectable()
export class WorkflowSource implements OnModuleInit, OnApplicationShutdown {
  private current: { view: CurrentWorkflowView; workflow: Workflow } = {
    view: { version: null, source: DEFAULT_WORKFLOW_YAML, author: null, at: null, origin: null },
    workflow: parseWorkflow(DEFAULT_WORKFLOW_YAML),
  };
  private readonly versions: RoutingWorkflowRepository;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly logger: PinoLogger,
  ) {
    this.versions = new RoutingWorkflowRepository(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.warn({ err: String(error) }, 'reading the routing workflow failed')), REFRESH_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get workflow(): Workflow {
    return this.current.workflow;
  }

  async read(): Promise<CurrentWorkflowView> {
    await this.refresh();
    return this.current.view;
  }

  history(limit: number): Promise<WorkflowVersionSummary[]> {
    return this.versions.list(limit);
  }

  private async refresh(): Promise<void> {
    const stored = await this.versions.current();
    if (!stored || stored._id === this.current.view.version) return;
    const checked = validateWorkflowSource(stored.source);
    // The router skips a version it cannot read too; keep the last good one.
    if (!checked.ok) return;
    this.current = {
      view: { version: stored._id, source: stored.source, author: stored.author, at: new Date(stored.at).toISOString(), origin: stored.origin },
      workflow: checked.workflow,
    };
  }
}
