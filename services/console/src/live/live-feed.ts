import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { PinoLogger } from 'nestjs-pino';
import { TicketEvent } from '@switchboard/contracts';
import { AgentRepository, ConsoleTicketReads, ConsoleUserRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { CONSOLE_ENV, ConsoleEnv } from '../console.config';
import { withConsolePresence } from '../operators/agent-load';
import { QueueStats } from '../operators/queue-stats';
import { QueueStatsService } from '../operators/queue-stats.service';
import { LiveHub } from './live-hub';
import { receivesPresence, receivesTicketEvent, ticketEventSummary, visibleQueues } from './live-scope';

const TICK_MS = 2_000;

/**
 * Feeds the console's sockets: every ticket event (a consumer group per instance, so every
 * instance sees all of them), offers to the agent they were made to, queue statistics when they
 * change, and agents' presence as routing records it.
 * replies and notes.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private ticker?: NodeJS.Timeout;
  private lastStats = '';
  private stats: QueueStats[] = [];
  private presence = new Map<string, string>();
  private ticking = false;

  constructor(
    consumers: ConsumerRegistry,
    private readonly hub: LiveHub,
    private readonly reads: ConsoleTicketReads,
    private readonly agents: AgentRepository,
    private readonly users: ConsoleUserRepository,
    private readonly queueStats: QueueStatsService,
    private readonly logger: PinoLogger,
    @Inject(CONSOLE_ENV) env: ConsoleEnv,
  ) {
    consumers.register({
      groupId: `console-live-${hostname()}-${env.PORT}`,
      topic: 'tickets',
      // Sockets want each event once per instance.
      processed: undefined,
      handle: (event) => this.onTicketEvent(event),
    });
    hub.onConnect = async (principal, send) => {
      send({ type: 'queue_stats', queues: visibleQueues(principal, this.stats.length ? this.stats : await this.queueStats.current()) });
      for (const [agentId, presence] of this.presence) if (receivesPresence(principal, agentId)) send({ type: 'presence', agentId, presence });
    };
  }

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.tick(), TICK_MS).unref();
    void this.tick();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.ticker);
  }

  private async onTicketEvent(event: TicketEvent): Promise<void> {
    if (this.hub.connections === 0) return;
    const summary = ticketEventSummary(event);
    this.hub.broadcast((p) => (receivesTicketEvent(p, event) ? { type: 'ticket', event: summary } : undefined));
    const offeredTo = event.type === 'ticket.offered' ? event.routing?.agentId : undefined;
    if (offeredTo) {
      this.hub.broadcast((p) =>
        p.agentId === offeredTo ? { type: 'offer', ticketId: event.ticket.id, number: event.ticket.number, queue: event.ticket.queue, category: event.ticket.category, channel: event.ticket.channel, expiresAt: event.routing?.offerExpiresAt ?? null } : undefined,
      );
    }
  }

  /** Statistics and presence are read from the database, so they agree across instances. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.stats = await this.queueStats.current();
      // The longest wait grows every second; only the other numbers changing is news.
      const key = JSON.stringify(this.stats.map((s) => ({ ...s, longestWaitSeconds: 0 })));
      if (key !== this.lastStats) {
        this.lastStats = key;
        this.hub.broadcast((p) => ({ type: 'queue_stats', queues: visibleQueues(p, this.stats) }));
      }
      const [agents, users] = await Promise.all([this.agents.all(), this.users.list()]);
      for (const agent of withConsolePresence(agents, users)) {
        if (this.presence.get(agent._id) === agent.presence) continue;
        this.presence.set(agent._id, agent.presence);
        this.hub.broadcast((p) => (receivesPresence(p, agent._id) ? { type: 'presence', agentId: agent._id, presence: agent.presence } : undefined));
      }
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live statistics failed');
    } finally {
      this.ticking = false;
    }
  }
}
