import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ConsoleTicketReads } from '@switchboard/persistence';
import { Principal } from '../access/principal';
import { ZodQueryPipe } from '../api/zod-query.pipe';
import { CurrentUser } from '../auth/principal.decorator';
import { LeastRole } from '../auth/roles.decorator';
import { visibleQueues } from '../live/live-scope';
import { QueueStatsService } from './queue-stats.service';
import { volumeStats } from './volume-stats';

export const statsQuerySchema = z.object({ window: z.enum(['hour', 'day']).default('hour') }).strict();

@Controller('api')
export class StatsController {
  constructor(
    private readonly queueStats: QueueStatsService,
    private readonly reads: ConsoleTicketReads,
  ) {}

  /** Per queue: waiting, longest and expected wait, SLA at risk and breached. Agents get their queues. */
  @Get('queues/stats')
  async queues(@Query(new ZodQueryPipe(z.object({}).strict())) _: object, @CurrentUser() user: Principal) {
    return { queues: visibleQueues(user, await this.queueStats.current()), at: new Date().toISOString() };
  }

  @Get('stats')
  @LeastRole('supervisor')
  async stats(@Query(new ZodQueryPipe(statsQuerySchema)) query: z.infer<typeof statsQuerySchema>) {
    const now = new Date();
    const since = new Date(now.getTime() - (query.window === 'hour' ? 3_600_000 : 86_400_000));
    const [tickets, messages] = await Promise.all([this.reads.recent(since), this.reads.messagesSince(since)]);
    return volumeStats(
      query.window,
      tickets.map((t) => ({ ...t, openedAt: new Date(t.openedAt), updatedAt: new Date(t.updatedAt) })),
      messages.map((m) => ({ receivedAt: new Date(m.receivedAt), classification: { confidence: m.classification?.confidence ?? 0 } })),
      now,
    );
  }
}
