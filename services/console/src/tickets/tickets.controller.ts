import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Command } from '@switchboard/contracts';
import { AssignmentRepository, ConsoleTicketReads, RoutedTicketDocument } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { z } from 'zod';
import { Principal } from '../access/principal';
import { actionRefusal, canSeeTicket, TicketAction } from '../access/ticket-access';
import { ApiError } from '../api/api-error';
import { CommandIssuer } from '../api/command-issuer';
import { skipOf } from '../api/pagination';
import { ZodQueryPipe } from '../api/zod-query.pipe';
import { CurrentUser } from '../auth/principal.decorator';
import { WorkflowSource } from '../workflow/workflow-source';
import { categorySchema, emptySchema, noteSchema, rejectSchema, replySchema, transferSchema } from './ticket-actions.schemas';
import { TicketListQuery, ticketListFilter, ticketListQuerySchema } from './ticket-query';
import { ticketDetail, ticketSummary } from './ticket-view';

const optionalBody = <S extends z.ZodTypeAny>(schema: S) => new ZodBodyPipe(z.preprocess((v) => v ?? {}, schema));

/** Tickets, read from the router's collections; actions become commands for the router. */
@Controller('api/tickets')
export class TicketsController {
  constructor(
    private readonly reads: ConsoleTicketReads,
    private readonly assignments: AssignmentRepository,
    private readonly workflow: WorkflowSource,
    private readonly commands: CommandIssuer,
  ) {}

  @Get()
  async list(@CurrentUser() user: Principal, @Query(new ZodQueryPipe(ticketListQuerySchema)) query: TicketListQuery) {
    const { items, total } = await this.reads.page(ticketListFilter(user, query), skipOf(query), query.pageSize);
    const now = new Date();
    return { items: items.map((t) => ticketSummary(t, this.workflow.workflow, now)), page: query.page, pageSize: query.pageSize, total };
  }

  @Get(':id')
  async get(@CurrentUser() user: Principal, @Param('id') id: string) {
    const ticket = await this.visible(user, id);
    const [messages, notifications] = await Promise.all([this.reads.messagesOf(ticket._id), this.reads.notificationsOf(ticket._id)]);
    return ticketDetail(ticket, messages, notifications, this.workflow.workflow, new Date());
  }

  @Get(':id/routing')
  async routing(@CurrentUser() user: Principal, @Param('id') id: string) {
    const ticket = await this.visible(user, id);
    const log = await this.assignments.history(ticket._id);
    return {
      ticketId: ticket._id,
      number: ticket.number,
      queue: ticket.queue,
      reason: ticket.routing?.reason ?? null,
      route: { filter: ticket.routing?.filter ?? null, step: ticket.routing?.step ?? null, explanation: ticket.routing?.explanation ?? [] },
      entries: log.map((e) => ({
        seq: e.seq,
        type: e.decision.type,
        at: new Date(e.decision.at).toISOString(),
        agentId: e.decision.agentId ?? null,
        queue: e.decision.queue ?? null,
        reason: e.decision.reason ?? null,
        explanation: e.decision.explanation ?? [],
        assignment: e.assignment ? { agentId: e.assignment.agentId, state: e.assignment.state } : null,
      })),
    };
  }

  @Post(':id/accept')
  @HttpCode(202)
  async accept(@Body(optionalBody(emptySchema)) _: object, @CurrentUser() user: Principal, @Param('id') id: string) {
    const ticket = await this.actionable(user, id, 'accept');
    return this.commands.issue(user, { type: 'ticket.accept', ticketId: ticket._id, agentId: this.agentOf(user, ticket) });
  }

  @Post(':id/reject')
  @HttpCode(202)
  async reject(@CurrentUser() user: Principal, @Param('id') id: string, @Body(optionalBody(rejectSchema)) body: z.infer<typeof rejectSchema>) {
    const ticket = await this.actionable(user, id, 'reject');
    return this.commands.issue(user, { type: 'ticket.reject', ticketId: ticket._id, agentId: this.agentOf(user, ticket), ...(body.reason ? { reason: body.reason } : {}) });
  }

  @Post(':id/reply')
  @HttpCode(202)
  async reply(@CurrentUser() user: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(replySchema)) body: z.infer<typeof replySchema>) {
    const ticket = await this.actionable(user, id, 'reply');
    return this.commands.issue(user, { type: 'ticket.reply', ticketId: ticket._id, agentId: user.agentId ?? user.id, text: body.text }, { length: body.text.length });
  }

  @Post(':id/notes')
  @HttpCode(202)
  async note(@CurrentUser() user: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(noteSchema)) body: z.infer<typeof noteSchema>) {
    const ticket = await this.actionable(user, id, 'notes');
    return this.commands.issue(user, { type: 'ticket.add_note', ticketId: ticket._id, text: body.text });
  }

  @Post(':id/pending')
  @HttpCode(202)
  async pending(@Body(optionalBody(emptySchema)) _: object, @CurrentUser() user: Principal, @Param('id') id: string) {
    const ticket = await this.actionable(user, id, 'pending');
    return this.commands.issue(user, { type: 'ticket.set_pending', ticketId: ticket._id });
  }

  @Post(':id/resolve')
  @HttpCode(202)
  async resolve(@Body(optionalBody(emptySchema)) _: object, @CurrentUser() user: Principal, @Param('id') id: string) {
    const ticket = await this.actionable(user, id, 'resolve');
    return this.commands.issue(user, { type: 'ticket.resolve', ticketId: ticket._id });
  }

  @Post(':id/transfer')
  @HttpCode(202)
  async transfer(@CurrentUser() user: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(transferSchema)) body: z.infer<typeof transferSchema>) {
    const ticket = await this.actionable(user, id, 'transfer', body.to.kind);
    if (body.to.kind === 'queue' && !this.workflow.workflow.queueById.has(body.to.queue)) {
      throw new ApiError(422, 'validation_failed', `unknown queue '${body.to.queue}'`, [{ path: 'to.queue', message: `one of ${[...this.workflow.workflow.queueById.keys()].join(', ')}` }]);
    }
    const command: Command['command'] = { type: 'ticket.transfer', ticketId: ticket._id, to: body.to };
    return this.commands.issue(user, command, { from: { queue: ticket.queue, assigneeId: ticket.assigneeId ?? null }, to: body.to });
  }

  @Post(':id/category')
  @HttpCode(202)
  async category(@CurrentUser() user: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(categorySchema)) body: z.infer<typeof categorySchema>) {
    const ticket = await this.actionable(user, id, 'category');
    return this.commands.issue(user, { type: 'ticket.set_category', ticketId: ticket._id, category: body.category }, { from: ticket.category, to: body.category });
  }

  /** 404 for a ticket that does not exist, 403 (not 404) for one the user may not see. */
  private async visible(user: Principal, id: string): Promise<RoutedTicketDocument> {
    const ticket = id.length <= 200 ? await this.reads.find(id) : null;
    if (!ticket) throw new ApiError(404, 'not_found', `no ticket ${id.slice(0, 200)}`);
    if (!canSeeTicket(user, ticket)) throw new ApiError(403, 'forbidden', 'this ticket is not in your queues');
    return ticket;
  }

  private async actionable(user: Principal, id: string, action: TicketAction, transferKind?: 'agent' | 'queue' | 'workflow'): Promise<RoutedTicketDocument> {
    const ticket = await this.visible(user, id);
    const refusal = actionRefusal(user, ticket, action, transferKind);
    if (refusal) throw new ApiError(403, 'forbidden', refusal);
    return ticket;
  }

  /** Accept and reject answer an offer: the agent's own, or (for a supervisor) whoever it was offered to. */
  private agentOf(user: Principal, ticket: RoutedTicketDocument): string {
    const agentId = user.agentId ?? ticket.assignment?.agentId;
    if (!agentId) throw new ApiError(409, 'conflict', 'there is no open offer on this ticket');
    return agentId;
  }
}
