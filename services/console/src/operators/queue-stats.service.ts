import { Injectable } from '@nestjs/common';
import { ConsoleTicketReads } from '@switchboard/persistence';
import { WorkflowSource } from '../workflow/workflow-source';
import { QueueStats, queueStats } from './queue-stats';

@Injectable()
export class QueueStatsService {
  constructor(
    private readonly reads: ConsoleTicketReads,
    private readonly workflow: WorkflowSource,
  ) {}

  async current(now = new Date()): Promise<QueueStats[]> {
    const tickets = await this.reads.unresolved();
    return queueStats(
      this.workflow.workflow,
      tickets.map((t) => ({ ...t, openedAt: new Date(t.openedAt), assignment: t.assignment ?? null })),
      now,
    );
  }
}
