import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ConsoleAuditRepository } from '@switchboard/persistence';
import { paginationSchema, skipOf } from '../api/pagination';
import { ZodQueryPipe } from '../api/zod-query.pipe';
import { LeastRole } from '../auth/roles.decorator';

export const auditQuerySchema = paginationSchema
  .extend({
    actor: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(100).optional(),
    target: z.string().min(1).max(200).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/** Who did what and when, newest first (supervisors and admins). */
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: ConsoleAuditRepository) {}

  @Get()
  @LeastRole('supervisor')
  async list(@Query(new ZodQueryPipe(auditQuerySchema)) query: z.infer<typeof auditQuerySchema>) {
    const { items, total } = await this.audit.query({
      actor: query.actor,
      action: query.action,
      target: query.target,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      skip: skipOf(query),
      limit: query.pageSize,
    });
    return {
      items: items.map((e) => ({ id: e._id, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, target: e.target ?? null, commandId: e.commandId ?? null, outcome: e.outcome, details: e.details ?? {} })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}
