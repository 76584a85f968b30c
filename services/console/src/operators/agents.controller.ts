import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { agentProfileSchema } from '@switchboard/contracts';
import { AgentRepository, ConsoleTicketReads, ConsoleUserRepository } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { CommandIssuer } from '../api/command-issuer';
import { paginationSchema, skipOf } from '../api/pagination';
import { ZodQueryPipe } from '../api/zod-query.pipe';
import { CurrentUser } from '../auth/principal.decorator';
import { LeastRole } from '../auth/roles.decorator';
import { WorkflowSource } from '../workflow/workflow-source';
import { agentRows, withConsolePresence } from './agent-load';

export const agentListQuerySchema = paginationSchema.extend({ presence: z.enum(['available', 'away', 'offline']).optional() }).strict();
/** The profile without its id (that is in the path). */
export const agentUpsertSchema = agentProfileSchema.omit({ id: true });

@Controller('api/agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentRepository,
    private readonly users: ConsoleUserRepository,
    private readonly reads: ConsoleTicketReads,
    private readonly workflow: WorkflowSource,
    private readonly commands: CommandIssuer,
  ) {}

  @Get()
  @LeastRole('supervisor')
  async list(@Query(new ZodQueryPipe(agentListQuerySchema)) query: z.infer<typeof agentListQuerySchema>) {
    const [agents, users, unresolved] = await Promise.all([this.agents.all(), this.users.list(), this.reads.unresolved()]);
    const rows = agentRows(withConsolePresence(agents, users), unresolved, this.workflow.workflow).filter((a) => !query.presence || a.presence === query.presence);
    return { items: rows.slice(skipOf(query), skipOf(query) + query.pageSize), page: query.page, pageSize: query.pageSize, total: rows.length };
  }

  /** Creates or changes an agent's routing profile (`agent.upsert`); presence stays the agent's own unless given. */
  @Put(':id')
  @LeastRole('admin')
  @HttpCode(202)
  upsert(@CurrentUser() user: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(agentUpsertSchema)) body: z.infer<typeof agentUpsertSchema>) {
    const agent = agentProfileSchema.safeParse({ ...body, id });
    if (!agent.success) throw new ApiError(422, 'validation_failed', 'not a valid agent', agent.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    return this.commands.issue(user, { type: 'agent.upsert', agent: agent.data }, { profile: agent.data });
  }
}
