import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { AgentRepository, ConsoleTicketReads } from '@switchboard/persistence';
import { simulate, validateWorkflowSource, Workflow } from '@switchboard/routing';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { CommandIssuer } from '../api/command-issuer';
import { AuditLog } from '../audit/audit-log';
import { CurrentUser } from '../auth/principal.decorator';
import { LeastRole } from '../auth/roles.decorator';
import { handlingOfAll, observedHandling } from './observed-handling';
import { recentTraffic } from './recent-traffic';
import { WorkflowSource } from './workflow-source';

export const workflowBodySchema = z.object({ source: z.string().min(1).max(200_000) }).strict();
export const simulateBodySchema = z.object({ source: z.string().min(1).max(200_000), hours: z.number().int().min(1).max(168).default(24) }).strict();

const SIMULATED_TICKETS = 5_000;

/** Checks a workflow the way the router will; 422 with every problem and its path. */
function validated(source: string): Workflow {
  const checked = validateWorkflowSource(source);
  if (!checked.ok) throw new ApiError(422, 'validation_failed', 'the workflow is not valid', checked.errors);
  return checked.workflow;
}

@Controller('api/workflow')
export class WorkflowController {
  constructor(
    private readonly source: WorkflowSource,
    private readonly reads: ConsoleTicketReads,
    private readonly agents: AgentRepository,
    private readonly commands: CommandIssuer,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @LeastRole('supervisor')
  async get() {
    const current = await this.source.read();
    const workflow = this.source.workflow;
    const versions = await this.source.history(20);
    return {
      ...current,
      queues: workflow.queues.map((q) => ({ id: q.id, name: q.name })),
      filters: workflow.filters.map((f) => ({ name: f.name, when: f.when })),
      versions: versions.map((v) => ({ version: v._id, author: v.author, at: new Date(v.at).toISOString(), origin: v.origin })),
    };
  }

  /** Validated first (422), then handed to the router as `workflow.set`. */
  @Put()
  @LeastRole('admin')
  @HttpCode(202)
  async set(@CurrentUser() user: Principal, @Body(new ZodBodyPipe(workflowBodySchema)) body: z.infer<typeof workflowBodySchema>) {
    try {
      validated(body.source);
    } catch (error) {
      if (error instanceof ApiError) await this.audit.record(user, 'workflow.set', { outcome: 'refused', details: { problems: (error.getResponse() as { error: { details?: unknown[] } }).error.details ?? [] } });
      throw error;
    }
    // The router validates again and stores it as the next version (GET shows it once stored).
    return this.commands.issue(user, { type: 'workflow.set', source: body.source }, { bytes: body.source.length });
  }

  /** The proposed workflow and the current one over the same recent arrivals and agents. */
  @Post('simulate')
  @LeastRole('supervisor')
  @HttpCode(200)
  async simulate(@Body(new ZodBodyPipe(simulateBodySchema)) body: z.infer<typeof simulateBodySchema>) {
    const proposed = validated(body.source);
    const since = new Date(Date.now() - body.hours * 3_600_000);
    const [recent, agents] = await Promise.all([this.reads.recent(since, SIMULATED_TICKETS), this.agents.all()]);
    const tickets = recent.filter((t) => new Date(t.openedAt) >= since);
    // How long agents took, as recorded: the tickets of the window and, for the medians, those resolved in it.
    const facts = await this.reads.handlingFacts(recent.map((t) => t._id));
    const observed = observedHandling(recent, facts.log, facts.replies);
    const traffic = recentTraffic(tickets, agents, handlingOfAll(recent, observed));
    const recorded = tickets.filter((t) => observed.has(t._id)).length;
    return {
      traffic: { tickets: traffic.tickets.length, agents: traffic.agents.length, since: since.toISOString(), handlingRecorded: recorded },
      assumptions:
        observed.size > 0
          ? `handling as recorded for ${recorded} of ${tickets.length} tickets (first assignment to resolution, less waits for the customer; first reply), for the rest the median recorded in their category (or in all); every known agent on shift throughout`
          : 'every ticket takes 10 minutes, first reply after 1 minute (nothing resolved in the window to go by); every known agent on shift throughout',
      current: simulate(this.source.workflow, traffic),
      proposed: simulate(proposed, traffic),
    };
  }
}
