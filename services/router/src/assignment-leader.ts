import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Command, TicketEvent, TicketRouting } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { AgentRepository, AssignmentInboxDocument, AssignmentInboxRepository, AssignmentRecord, AssignmentRepository, ClassificationCorrectionRepository, HeldLease, OwedTicketEvent, RoutedTicketDocument, RouterLeaseRepository, RoutingLogDocument } from '@switchboard/persistence';
import { AgentProfile, Decision, RoutingEngine, RoutingEvent } from '@switchboard/routing';
import { decisionWrite, PlannedWrite, satisfies } from './decision-write';
import { owedEvent, withoutExplanation } from './owed-event';
import { rebuildEngine } from './engine-rebuild';
import { missedTickets } from './missed-tickets';
import { QueuePositionUpdates } from './queue-position-updates';
import { RoutingRetention } from './routing-retention';
import { WorkflowStore } from './workflow-store';
import { routingTicketEvent } from './ticket-event';
import { ticketAttributes } from './ticket-attributes';

export const ASSIGNMENT_LEASE = 'assignment';

export interface AssignmentLeaderOptions {
  instanceId: string;
  leaseTtlMs: number;
  pollMs: number;
  /** A waiting ticket is told a new place at most this often; 0 only when it starts waiting. */
  positionUpdateMs?: number;
  /** How often retention runs; 0 never. */
  retentionIntervalMs?: number;
}

/** Ticket events of a round published together, at most this many at a time. */
const PUBLISH_EVERY = 25;

/** Who may change the routing workflow. */
const WORKFLOW_EDITORS = new Set(['supervisor', 'admin', 'operator']);

/** What a round read up front for the inbox's arrivals and reopenings (an entry absent: read when needed). */
interface ReadAhead {
  tickets: Map<string, RoutedTicketDocument>;
  /** The last log entry of tickets this holder had no entry for (undefined: none). */
  logs: Map<string, RoutingLogDocument | undefined>;
}

/** A conditional write was refused: another router wrote since; this one's engine no longer matches what is stored. */
class FencedOut extends Error {}

/**
 * Runs the routing engine on the one router instance holding the assignment lease.
 *
 * Every instance competes for the lease; the holder renews it every third of its TTL and stops
 * deciding once less than a third is left unrenewed, so it is done before anyone else can take
 * over. A new holder stamps its epoch on agents and open tickets, rebuilds the engine from them,
 * then works through the inbox (arrivals, reopens, commands, in order) and the engine's timers,
 * storing each decision with a conditional write before publishing it on `tickets`.
 */
export class AssignmentLeader implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private lease?: HeldLease;
  private engine?: RoutingEngine;
  /** Per ticket: the last routing log entry this holder knows of, and the assignment it left. */
  private readonly logged = new Map<string, { seq: number; assignment: AssignmentRecord | null }>();
  /** Per agent: the last slot log entry this holder knows of. */
  private readonly agentSeqs = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private nextReconcileAt = 0;
  private nextRetentionAt = 0;
  /** The workflow version the engine was built with. */
  private engineVersion = 0;
  private readonly positions: QueuePositionUpdates;
  /** Ticket events of decisions stored this round, published together at its end. */
  private readonly unpublished: TicketEvent[] = [];
  /** The lease term this holder last rebuilt in: a rebuild in another one is a takeover. */
  private rebuiltInEpoch?: number;

  constructor(
    private readonly workflows: WorkflowStore,
    private readonly leases: RouterLeaseRepository,
    private readonly agents: AgentRepository,
    private readonly assignments: AssignmentRepository,
    private readonly inbox: AssignmentInboxRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    private readonly options: AssignmentLeaderOptions,
    private readonly retention?: RoutingRetention,
    private readonly corrections?: ClassificationCorrectionRepository,
  ) {
    this.positions = new QueuePositionUpdates(options.positionUpdateMs ?? 0);
  }

  get isLeader(): boolean {
    return this.engine !== undefined;
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    // Hand over at once rather than after the TTL.
    if (this.lease) await this.leases.release(this.lease).catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step()
        .catch((error: unknown) => this.fail(error))
        .finally(() => this.schedule(this.options.pollMs));
    }, delayMs);
  }

  private fail(error: unknown): void {
    // The engine may be out of step with what is stored: rebuild it (if the lease is still ours).
    this.engine = undefined;
    if (error instanceof FencedOut) this.logger.warn({ err: error.message }, 'routing write refused: rebuilding from what is stored');
    else this.logger.error({ err: error }, 'routing step failed: rebuilding from what is stored');
  }

  /** One round: keep (or take) the lease, rebuild when needed, then the inbox and due timers. */
  async step(): Promise<void> {
    await this.keepLease();
    if (!this.lease) {
      this.lease = (await this.leases.tryAcquire(ASSIGNMENT_LEASE, this.options.instanceId, this.options.leaseTtlMs, new Date())) ?? undefined;
      if (!this.lease) return;
      this.logger.info({ epoch: this.lease.epoch, instance: this.options.instanceId }, 'assignment lease acquired');
    }
    if (this.engine && this.engineVersion !== this.workflows.current.version) {
      // Another instance stored a new workflow (or this one did): the engine is built again with it.
      this.logger.info({ from: this.engineVersion, to: this.workflows.current.version }, 'routing workflow changed: rebuilding the engine');
      this.engine = undefined;
    }
    if (!this.engine) await this.rebuild();

    try {
      await this.work(await this.inbox.pending(200));
    } finally {
      // Stored before published, as one by one; one produce request a round.
      await this.publishStored();
    }
    if (!this.engine) return;
    if (Date.now() >= this.nextReconcileAt) await this.reconcile();
    if (Date.now() >= this.nextRetentionAt) await this.sweep();
  }

  /**
   * The inbox in order, then due timers. The tickets of its arrivals and reopenings, and their
   * last log entries, are read up front with one `$in` read each; arrivals and reopenings are
   * marked processed together (before the next command, and at the end: handling one again finds
   * its ticket known and does nothing), commands one by one as each is done.
   */
  private async work(items: AssignmentInboxDocument[]): Promise<void> {
    const ahead = await this.readAhead(items);
    const done: string[] = [];
    try {
      for (const item of items) {
        await this.keepLease();
        if (!this.holds()) return;
        // A `workflow.set` earlier in this batch: what follows is decided with the new workflow.
        if (this.engineVersion !== this.workflows.current.version) this.engine = undefined;
        if (!this.engine) {
          await this.rebuild();
          ahead.tickets.clear();
          ahead.logs.clear();
        }
        if (item.kind === 'command') {
          await this.inbox.markProcessedMany(done.splice(0));
          // What a command changes about a ticket is read afresh by whatever comes after it.
          const ticketId = 'ticketId' in item.command.command ? item.command.command.ticketId : undefined;
          if (ticketId) {
            ahead.tickets.delete(ticketId);
            ahead.logs.delete(ticketId);
          }
          await this.handle(item, ahead);
          await this.inbox.markProcessed(item._id);
        } else {
          await this.handle(item, ahead);
          done.push(item._id);
        }
      }
    } finally {
      await this.inbox.markProcessedMany(done);
    }
    if (!this.engine) return;
    const due = this.engine.nextTimerAt();
    if (due !== undefined && due <= Date.now() && this.holds()) await this.apply({ type: 'tick' });
    if (this.holds()) await this.store(this.positions.due(this.engine, Date.now()));
  }

  private async readAhead(items: AssignmentInboxDocument[]): Promise<ReadAhead> {
    const ids = [...new Set(items.flatMap((item) => (item.kind === 'command' ? [] : [item.ticketId])))];
    if (ids.length === 0) return { tickets: new Map(), logs: new Map() };
    const tickets = await this.assignments.findMany(ids);
    const unknown = [...tickets.values()].filter((ticket) => ticket.status !== 'resolved' && !this.logged.has(ticket._id));
    const logs = unknown.length > 0 ? await this.assignments.latestOfMany(unknown) : new Map<string, RoutingLogDocument | undefined>();
    return { tickets, logs };
  }

  private async publishStored(): Promise<void> {
    const events = this.unpublished.splice(0);
    await this.publisher.publishMany(events.map((event) => ({ topic: 'tickets', event, key: event.ticket.id })));
  }

  /** Retention, between rounds, stopping when the lease runs short. */
  private async sweep(): Promise<void> {
    const interval = this.options.retentionIntervalMs ?? 0;
    if (!this.retention || interval <= 0) return;
    this.nextRetentionAt = Date.now() + interval;
    const counts = await this.retention.sweep(new Date(), async () => {
      await this.keepLease();
      return this.holds();
    });
    if (Object.values(counts).some((n) => n > 0)) this.logger.info({ ...counts }, 'retention: old routing records deleted');
  }

  /**
   * Every few seconds: an open ticket the engine does not know (its arrival was taken off the inbox
   * by a holder deposed without knowing it, after this one had read the tickets) means the engine
   * missed something: rebuild. One whose arrival still waits in the inbox is only late.
   */
  private async reconcile(): Promise<void> {
    const period = Math.max(5_000, this.options.leaseTtlMs);
    this.nextReconcileAt = Date.now() + period;
    const engine = this.engine;
    if (!engine) return;
    const unknown = (await this.assignments.unresolvedIds(new Date(Date.now() - period))).filter((id) => !engine.ticket(id));
    if (unknown.length === 0) return;
    const [waiting, latest] = await Promise.all([this.inbox.waitingTicketIds(unknown), this.assignments.latest(unknown)]);
    const missing = missedTickets(unknown, waiting, latest);
    if (missing.length === 0) return;
    this.logger.warn({ missing: missing.slice(0, 10), count: missing.length }, 'open tickets unknown to the engine: rebuilding');
    this.engine = undefined;
  }

  /** Renews the lease once a third of its term went by (between items too: a long batch must not outlive it). */
  private async keepLease(): Promise<void> {
    const now = new Date();
    if (!this.lease || now.getTime() < this.lease.expiresAt.getTime() - (this.options.leaseTtlMs * 2) / 3) return;
    const held = this.lease;
    this.lease = (await this.leases.renew(held, this.options.leaseTtlMs, now)) ?? undefined;
    if (!this.lease) {
      this.engine = undefined;
      const current = await this.leases.current(ASSIGNMENT_LEASE);
      this.logger.warn({ epoch: held.epoch, expiresAt: held.expiresAt, current: current && { epoch: current.epoch, holder: current.holder, expiresAt: current.expiresAt } }, 'assignment lease lost');
    }
  }

  /** Decides only while a third of the TTL is left: the next holder can only take over once it has all run out. */
  private holds(): boolean {
    return this.lease !== undefined && Date.now() < this.lease.expiresAt.getTime() - this.options.leaseTtlMs / 3;
  }

  private get epoch(): number {
    if (!this.lease) throw new FencedOut('no lease');
    return this.lease.epoch;
  }

  /**
   * Agents' slot logs are read before the tickets: a claim the old holder fenced but had not
   * written yet (it decides one thing at a time, so at most one per agent is in flight) is then
   * either visible in the ticket's log or sealed off below, never landing after the rebuild.
   */
  private async rebuild(): Promise<void> {
    const epoch = this.epoch;
    const { version, workflow } = await this.workflows.refresh();
    // Renewed between the reads too: on a loaded database they can take longer than the lease.
    const agents = await this.agents.all();
    await this.keepLease();
    const lastSlots = await this.assignments.lastAgentSlots(agents.map((a) => a._id));
    await this.keepLease();
    const unresolved = await this.assignments.unresolved();
    await this.keepLease();
    const latest = await this.assignments.latest(unresolved.map((t) => t._id));
    await this.keepLease();
    this.logged.clear();
    this.agentSeqs.clear();
    for (const agent of agents) this.agentSeqs.set(agent._id, lastSlots.get(agent._id)?.seq ?? 0);
    const takeover = this.rebuiltInEpoch !== epoch;
    this.rebuiltInEpoch = epoch;
    const owedAgain: TicketEvent[] = [];
    const tickets = [];
    for (const stored of unresolved) {
      const entry = latest.get(stored._id);
      // The old holder died between writing the log entry and copying it onto the ticket: finish that.
      const copied = entry && entry.seq > (stored.routingSeq ?? 0) ? await this.finishCopy(entry) : null;
      const again = takeover && entry && !copied ? this.recentOwedEvent(stored, entry) : undefined;
      if (again) owedAgain.push(again);
      if (entry?.resolved) continue;
      const ticket = copied ?? stored;
      this.logged.set(ticket._id, { seq: entry?.seq ?? 0, assignment: entry?.assignment ?? null });
      tickets.push({ ticket, assignment: entry?.assignment ?? null });
    }
    for (const slot of lastSlots.values()) {
      await this.keepLease();
      await this.seal(slot.agentId, slot.ticketId);
    }
    await this.keepLease();
    const rebuilt = rebuildEngine(workflow, agents, tickets, Date.now());
    this.engine = rebuilt.engine;
    this.engineVersion = version;
    this.positions.reset();
    // Not at once after a takeover: the first sweep waits a while, so a new holder routes first.
    this.nextRetentionAt = Math.max(this.nextRetentionAt, Date.now() + 60_000);
    for (const { ticket } of tickets) {
      const view = rebuilt.engine.ticket(ticket._id);
      if (view?.status === 'waiting' && ticket.queuePosition !== undefined) this.positions.observe({ type: 'waiting', ticketId: ticket._id, queue: ticket.queue, reason: view.reason, position: ticket.queuePosition, at: 0, explanation: [] }, rebuilt.engine);
    }
    this.logger.info({ epoch, agents: agents.length, tickets: tickets.length, workflowVersion: version, owedAgain: owedAgain.length }, 'routing engine rebuilt from what is stored');
    await this.publisher.publishMany(owedAgain.map((event) => ({ topic: 'tickets', event, key: event.ticket.id })));
    await this.store(rebuilt.decisions);
  }

  /**
   * The event a ticket's latest entry owed, when it was decided recently enough that the last
   * holder may have died before publishing it: a round publishes its events at its end. Published
   * again under the same event id, which consumers take once, so publishing it twice is harmless.
   */
  private recentOwedEvent(ticket: RoutedTicketDocument, entry: RoutingLogDocument): TicketEvent | undefined {
    const owed = owedEvent(entry);
    const window = 2 * this.options.leaseTtlMs + 60_000;
    if (!owed || Date.now() - new Date(entry.decision.at).getTime() > window) return undefined;
    const routing: TicketRouting = { ...owed.routing, explanation: [...entry.decision.explanation.slice(0, 99), 'published again by the next lease holder'] };
    return routingTicketEvent(owed.type, ticket, entry.seq, routing, new Date(entry.decision.at));
  }

  /**
   * Copies a log entry the old holder wrote but never copied onto its ticket, the same way the old
   * holder would have (`applyEntry`), and publishes the event it owed.
   */
  private async finishCopy(entry: RoutingLogDocument): Promise<RoutedTicketDocument | null> {
    await this.keepLease();
    const ticket = await this.assignments.applyEntry(entry);
    const owed = owedEvent(entry);
    if (!ticket || !owed) return ticket;
    const routing: TicketRouting = { ...owed.routing, explanation: [...entry.decision.explanation.slice(0, 99), 'copied onto the ticket by the next lease holder'] };
    await this.publisher.publish('tickets', routingTicketEvent(owed.type, ticket, entry.seq, routing, new Date(entry.decision.at)), { key: ticket._id });
    this.logger.warn({ ticketId: ticket._id, seq: entry.seq, decision: entry.decision.type }, 'routing log entry the previous holder had not copied onto its ticket: copied and published');
    return ticket;
  }

  /** Takes the next entry of a ticket the agent's last slot entry names, unless its log shows the claim (or the ticket resolved). */
  private async seal(agentId: string, ticketId: string): Promise<void> {
    if (!this.holds()) throw new FencedOut('the lease is running out unrenewed');
    const entry = this.logged.has(ticketId) ? undefined : (await this.assignments.latest([ticketId])).get(ticketId);
    if (entry?.resolved) return;
    const known = this.logged.get(ticketId) ?? { seq: entry?.seq ?? 0, assignment: entry?.assignment ?? null };
    if (known.assignment?.agentId === agentId) return;
    this.logged.set(ticketId, known);
    const why = `sealed against a late write by the previous holder (its last slot entry for ${agentId} names this ticket)`;
    await this.logWrite({ ticketId, epoch: this.epoch, condition: { kind: 'any' }, decision: { type: 'sealed', at: new Date(), explanation: [why], epoch: this.epoch } });
  }

  private async handle(item: AssignmentInboxDocument, ahead: ReadAhead): Promise<void> {
    const engine = this.engine as RoutingEngine;
    if (item.kind === 'command') return this.command(item.command);
    const ticket = ahead.tickets.has(item.ticketId) ? (ahead.tickets.get(item.ticketId) as RoutedTicketDocument) : await this.assignments.find(item.ticketId);
    if (!ticket || ticket.status === 'resolved') return;
    if (!this.logged.has(ticket._id)) {
      // A reopened ticket: its log goes on from where it stopped.
      const entry = ahead.logs.has(ticket._id) ? ahead.logs.get(ticket._id) : await this.assignments.latestOf(ticket);
      this.logged.set(ticket._id, { seq: entry?.seq ?? 0, assignment: entry?.resolved ? null : (entry?.assignment ?? null) });
    }
    if (item.kind === 'reopen' && engine.ticket(ticket._id)) await this.apply({ type: 'reopen', ticketId: ticket._id });
    else if (!engine.ticket(ticket._id)) await this.apply({ type: 'arrival', ticketId: ticket._id, attributes: ticketAttributes(ticket) });
    if (this.engine) await this.followWait(this.engine, ticket);
  }

  /**
   * The ticket document says whether it waits for the customer (set by whichever router handled
   * the pending command or the customer's message): the engine's SLA clocks follow it, from the
   * instants stored there, so a rebuild from the same document gives the same due times.
   */
  private async followWait(engine: RoutingEngine, ticket: RoutedTicketDocument): Promise<void> {
    const view = engine.ticket(ticket._id);
    if (!view || view.status === 'resolved') return;
    const pausedAt = ticket.slaPausedAt ? new Date(ticket.slaPausedAt).getTime() : undefined;
    const ended = ticket.slaPauses?.[ticket.slaPauses.length - 1];
    const endedAt = ended ? new Date(ended.to).getTime() : undefined;
    // A wait the engine knows ended (the customer wrote) before a newer one began, both before this round.
    const newer = pausedAt !== undefined && view.slaPausedAt !== undefined && pausedAt > view.slaPausedAt && endedAt !== undefined && endedAt >= view.slaPausedAt;
    if (view.slaPausedAt !== undefined && (pausedAt === undefined || newer)) await this.apply({ type: 'ticketResumed', ticketId: ticket._id, ...(endedAt !== undefined ? { at: endedAt } : {}) });
    if (pausedAt !== undefined && (view.slaPausedAt === undefined || newer)) await this.apply({ type: 'ticketPending', ticketId: ticket._id, at: pausedAt });
  }

  private async command({ command, actor, eventId, issuedAt }: Command): Promise<void> {
    switch (command.type) {
      case 'workflow.set': {
        if (!WORKFLOW_EDITORS.has(actor.role)) {
          const errors = [{ path: '(command)', message: `${actor.role} ${actor.id} may not change the routing workflow (supervisor, admin or operator only)` }];
          return this.workflows.refuse(command.source, actor, eventId, errors, new Date());
        }
        const result = await this.workflows.set(command.source, actor, eventId, new Date());
        // The next round sees the new version and rebuilds the engine with it.
        if (result.accepted && !result.repeated) this.logger.info({ version: result.version, actor: actor.id }, 'routing workflow changed by command');
        return;
      }
      case 'agent.upsert': {
        await this.agents.upsert(command.agent, this.epoch, new Date());
        return this.apply({ type: 'agent', agent: command.agent as AgentProfile });
      }
      case 'agent.presence':
        await this.apply({ type: 'presence', agentId: command.agentId, presence: command.presence });
        // Stored too, so the next lease holder's rebuild (and the console) see what the agent chose.
        if (this.engine?.agent(command.agentId)) await this.agents.setPresence(command.agentId, command.presence, this.epoch, new Date());
        return;
      case 'ticket.accept':
      case 'ticket.reject':
        if (actor.role === 'agent' && actor.id !== command.agentId) {
          this.logger.warn({ actor: actor.id, agentId: command.agentId, ticketId: command.ticketId }, `${command.type} for another agent ignored`);
          return;
        }
        return this.apply(
          command.type === 'ticket.accept'
            ? { type: 'accept', ticketId: command.ticketId, agentId: command.agentId }
            : { type: 'reject', ticketId: command.ticketId, agentId: command.agentId, ...(command.reason ? { reason: command.reason } : {}) },
        );
      case 'ticket.respond':
        return this.apply({ type: 'respond', ticketId: command.ticketId });
      case 'ticket.resolve':
        return this.apply({ type: 'resolve', ticketId: command.ticketId });
      case 'ticket.set_category':
        if (!this.engine?.ticket(command.ticketId)) return;
        // A labelled example for the classifier, read before the write replaces the old category.
        await this.corrections?.record({ eventId, ticketId: command.ticketId, category: command.category, by: actor, at: new Date(issuedAt) });
        await this.write(command.ticketId, { category: command.category, triage: false }, `category set to '${command.category}' by ${actor.id}`);
        return this.apply({ type: 'transfer', ticketId: command.ticketId, to: { kind: 'workflow', attributes: { category: command.category, triage: false } } });
      case 'ticket.transfer':
        return this.apply({ type: 'transfer', ticketId: command.ticketId, to: command.to });
    }
  }

  private async apply(event: RoutingEvent): Promise<void> {
    await this.store((this.engine as RoutingEngine).apply(event, Date.now()));
  }

  private async write(ticketId: string, set: Record<string, unknown>, why: string): Promise<void> {
    const epoch = this.epoch;
    const decision = { type: 'corrected', at: new Date(), explanation: [why], epoch };
    await this.logWrite({ ticketId, epoch, condition: { kind: 'any' }, set, decision });
  }

  /** Appends to the ticket's routing log; refused when another router wrote there first (this one is behind). */
  private async logWrite(write: PlannedWrite, owes?: OwedTicketEvent): Promise<{ ticket: RoutedTicketDocument; seq: number }> {
    const known = this.logged.get(write.ticketId) ?? { seq: 0, assignment: null };
    if (!satisfies(write.condition, known.assignment)) throw new FencedOut(`${write.decision.type} of ticket ${write.ticketId} does not follow its stored assignment`);
    const assignment = write.assignment === undefined ? known.assignment : write.assignment;
    if (write.assignment) await this.fenceAgent(write.assignment.agentId, write.ticketId, write.epoch);
    const seq = known.seq + 1;
    const ticket = await this.assignments.write({ ...write, seq, assignment, resolved: write.resolved ?? false, ...(owes ? { owes } : {}) });
    if (!ticket) throw new FencedOut(`entry ${seq} of ticket ${write.ticketId}'s routing log was written by another router`);
    this.logged.set(write.ticketId, { seq, assignment });
    return { ticket, seq };
  }

  /** Before an offer or assignment: the next entry of the agent's slot log, or the proof another router got there first. */
  private async fenceAgent(agentId: string, ticketId: string, epoch: number): Promise<void> {
    const seq = (this.agentSeqs.get(agentId) ?? (await this.assignments.lastAgentSlots([agentId])).get(agentId)?.seq ?? 0) + 1;
    if (!(await this.assignments.fenceAgent({ agentId, seq, epoch, ticketId, at: new Date() }))) throw new FencedOut(`entry ${seq} of agent ${agentId}'s slot log was written by another router`);
    this.agentSeqs.set(agentId, seq);
  }

  /** Stores each decision in order (conditional writes), then publishes its ticket event. */
  private async store(decisions: Decision[]): Promise<void> {
    for (const decision of decisions) {
      if (decision.type === 'ignored') {
        this.logger.info({ event: decision.event, reason: decision.reason }, 'routing event ignored');
        continue;
      }
      if (decision.type === 'presenceChanged') {
        await this.agents.setPresence(decision.agentId, decision.presence, this.epoch, new Date(decision.at));
        continue;
      }
      await this.keepLease();
      if (!this.holds()) throw new FencedOut('the lease is running out unrenewed');
      const epoch = this.epoch;
      const planned = decisionWrite(decision, epoch);
      if (!planned) continue;
      const owes = planned.event && { type: planned.event.type, routing: withoutExplanation(planned.event.routing) };
      const { ticket, seq } = await this.logWrite(planned.write, owes);
      if (this.engine) this.positions.observe(decision, this.engine);
      this.logger.info({ ticketId: ticket._id, ticket: ticket.number, decision: decision.type, agentId: 'agentId' in decision ? decision.agentId : undefined, epoch }, 'routing decision stored');
      if (planned.event) {
        this.unpublished.push(routingTicketEvent(planned.event.type, ticket, seq, planned.event.routing, new Date(decision.at)));
        // A long round does not hold back offers for long (an agent's answer is timed from the decision).
        if (this.unpublished.length >= PUBLISH_EVERY) await this.publishStored();
      }
    }
  }
}
