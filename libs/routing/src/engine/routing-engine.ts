import { Channel } from '@switchboard/contracts';
import { TicketAttributes } from '../attributes';
import { Bindings, CompiledExpression, Value } from '../expression';
import { describeTarget, matchWorkflow, ResolvedTarget } from '../select-target';
import { CAPACITY_KINDS, CapacityKind, EscalationAction, QueueConfig, SlaPolicy, Workflow } from '../workflow';
import { BusinessHours } from '../business-hours';
import { BinaryHeap } from './binary-heap';
import { IdList } from './id-list';
import { TimeHeap } from './time-heap';
import {
  AgentProfile,
  AgentView,
  Decision,
  Presence,
  QueuePosition,
  RouteCause,
  RoutingEvent,
  SlaPause,
  SlaTarget,
  SlaTimerKind,
  StoredRouting,
  TicketStatus,
  TicketView,
  TransferTarget,
  WithdrawReason,
  OfferVia,
} from './model';
import { ServiceRate } from './service-rate';

export function capacityKindOf(channel: Channel): CapacityKind {
  return channel === 'inapp' ? 'chat' : channel;
}

interface AgentState extends AgentView {
  profile: AgentProfile;
  bindings: Record<string, Value>;
  presence: Presence;
  capacity: Record<CapacityKind, number>;
  load: Record<CapacityKind, number>;
  offered: IdList;
  assigned: IdList;
  missedOffers: number;
  /** Last offer or becoming available, whichever is later: "longest idle" picks the smallest. */
  idleSince: number;
  /** needs key → may this agent take tickets with these needs (presence and capacity aside). */
  /** Position in the engine's flat per-agent arrays (eligibility, balance keys, idle times). */
  index: number;
  /** Indexed by needs id: why not, in words (computed when first needed). */
  whyNot: string[];
  /** Indexed by needs id: `<id> (<why not>)`. */
  namedWhyNot: string[];
  /** Conversations held (offered + assigned) and slots, over all kinds. */
  held: number;
  slots: number;
  /** Per kind: position in the free list, -1 when not in it. */
  freeIndex: Int32Array;
  /** Listed for `settle` to fill. */
  dirty: boolean;
  /** Words about this agent that many decisions repeat. */
  words: AgentWords;
}

interface AgentWords {
  offeredTo: string;
  assignedTo: string;
  accepted: string;
  resolvedBy: string;
  /** Per kind index. */
  freeAgain: string[];
}

function agentWords(id: string): AgentWords {
  return {
    offeredTo: `offered to ${id}`,
    assignedTo: `assigned to ${id}`,
    accepted: `${id} accepted the offer`,
    resolvedBy: `resolved by ${id}`,
    freeAgain: CAPACITY_KINDS.map((kind) => `${id} has capacity free on ${kind} again`),
  };
}

interface SlaState {
  policy: SlaPolicy;
  /** When the clocks started (arrival or reopening): due times count from here, plus the time paused since. */
  start: number;
  /** Whether a first-response target applies (not after a reopening, nor once answered before the clocks started). */
  firstResponse: boolean;
  /** Warnings and breaches decided since `start`: a resume plans only the others. */
  fired: Set<SlaTimer>;
  /** The queue whose business hours the clocks count (none: around the clock). */
  hoursOf?: QueueConfig;
  /** Warnings and breaches still to come, in time order; only the next one is in the timer heap. */
  pending: { at: number; kind: SlaTimer }[];
  firstResponseDueAt?: number;
  resolutionDueAt?: number;
}

interface TicketState extends TicketView {
  seq: number;
  attributes: TicketAttributes;
  /** What expressions read of the ticket (from the attributes). */
  bindings: Bindings;
  channel: Channel;
  kind: CapacityKind;
  status: TicketStatus;
  queue: string;
  priority: number;
  filter: string;
  step: number;
  targets: ResolvedTarget[];
  steps: number;
  worker?: string;
  /** Added by escalations to every later target's priority. */
  raisedBy: number;
  agentId?: string;
  previousAgentId?: string;
  queuedAt: number;
  createdAt: number;
  stepEnteredAt: number;
  reason: string;
  /** `NOBODY` until someone turns it down (most tickets are never turned down). */
  rejectedBy: Set<string>;
  /** Replaced, never changed in place (most tickets share the empty one). */
  escalations: readonly string[];
  firstRespondedAt?: number;
  sla?: SlaState;
  slaPolicy?: string;
  firstResponseDueAt?: number;
  resolutionDueAt?: number;
  slaPausedAt?: number;
  /** Replaced, never changed in place (most tickets share the empty one). */
  slaPauses: readonly SlaPause[];
  bucket?: Bucket;
  via: OfferVia;
  /** Bumped whenever a heap entry or timer of this ticket goes stale. */
  version: number;
  stepVersion: number;
  /** The step version a step timer was set for. */
  stepTimerFor: number;
  offerVersion: number;
  slaVersion: number;
  /** The SLA timer now in the heap (only the next warning or breach is), -1 when none. */
  slaTimerSeq: number;
  slaTimerKind?: SlaTimer;
  /** Where it is in the engine's list of tickets that entered a queue during this event, -1 when not in it. */
  enteredAt: number;
}

interface Entry {
  ticket: TicketState;
  version: number;
  priority: number;
  queuedAt: number;
  seq: number;
}

/** Waiting tickets of one queue with the same needs: same worker expression (and the ticket values it reads) and kind. */
interface Bucket {
  key: string;
  needsKey: string;
  needsId: number;
  queue: QueueState;
  kind: CapacityKind;
  worker?: CompiledExpression;
  ticketValues: Record<string, Value>;
  heap: BinaryHeap<Entry>;
  live: number;
  /** Why the head could not be given to anyone, from the last attempt. */
  reason: string;
  /** Listed for `settle` to fill. */
  dirty: boolean;
  /** See `headWords`. */
  headWords: Map<number, string>;
  /** `: <rule> (queue '<queue>' uses <rule>)`, made on the first offer. */
  choseWords: string;
}

interface QueueState {
  config: QueueConfig;
  buckets: Map<string, Bucket>;
  waiting: number;
  byPriority: Map<number, number>;
  rate: ServiceRate;
  offerOpenWords: string;
  autoAcceptWords: string;
}

/** Buckets already found for one target: by kind, and by kind and the one ticket value its needs read. */
interface TargetBuckets {
  /** The ticket attributes (without `ticket.`) the target's worker expression and queue members read. */
  names: string[];
  byKind: (Bucket | undefined)[];
  byValue: (Map<Value | undefined, Bucket> | undefined)[];
}

type SlaTimer = SlaTimerKind;
interface Timer {
  at: number;
  seq: number;
  kind: 'offer' | 'step' | SlaTimer;
  ticket: TicketState;
  version: number;
}

const MAX_NAMED = 3;
const KIND_INDEX: Record<CapacityKind, number> = { email: 0, chat: 1, sms: 2, social: 3 };
const AT_CAPACITY = CAPACITY_KINDS.map((kind) => ` at ${kind} capacity`);

export interface RoutingEngineOptions {
  /** Called with each decision as it is taken, while the engine is in the state right after it (tests check invariants here). */
  observe?: (decision: Decision, engine: RoutingEngine) => void;
}

/** Durations under two hours repeat endlessly in explanations: their words are made once. */
const secondsText = new Array<string>(7200);
const agoText = new Array<string>(7200);
const spareText = new Array<string>(7200);
/** For a release that no decision reports: never emitted, never added to. */
const NO_WORDS: string[] = [];

function spareWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 7200) return spareText[s] ?? (spareText[s] = `first-response target met with ${fmtSeconds(ms)} to spare`);
  return `first-response target met with ${fmtSeconds(ms)} to spare`;
}

/** `1 candidate`, `3 candidates`. */
function countWords(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `<count> <noun>s<rest>`, made once per count (up to a few thousand) in `cache`. */
function countedWords(cache: string[], n: number, noun: string, rest: string): string {
  if (n < 4096 && Number.isInteger(n)) return cache[n] ?? (cache[n] = `${countWords(n, noun)}${rest}`);
  return `${countWords(n, noun)}${rest}`;
}

function fmtSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 7200) return secondsText[s] ?? (secondsText[s] = s < 120 ? `${s}s` : s % 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s / 60}m`);
  return `${(s / 3600).toFixed(1)}h`;
}

/**
 * The routing engine: all state in memory, every change through `apply(event, now)`, which returns
 * the decisions taken. Deterministic: the same events at the same times give the same decisions.
 */
export class RoutingEngine {
  private readonly agents = new Map<string, AgentState>();
  private readonly tickets = new Map<string, TicketState>();
  private readonly queues = new Map<string, QueueState>();
  /** Per kind: available agents with a slot free (arrays with swap-removal: scanned on every arrival). */
  private readonly free: Record<CapacityKind, number[]> = { email: [], chat: [], sms: [], social: [] };
  // Flat per-agent arrays, indexed by AgentState.index, so the scan over free agents on every arrival stays in cache.
  private readonly agentsByIndex: AgentState[] = [];
  private tableSize = 0;
  /** Per needs id: 1 the agent may take tickets with these needs (presence and capacity aside), 2 may not, 0 unknown. */
  private eligibility: Int8Array[] = [];
  /** Per kind: spare slots plus half the share of all slots free (the balanced choice's first key). */
  private balance: Float64Array[] = CAPACITY_KINDS.map(() => new Float64Array(0));
  private idle = new Float64Array(0);
  private readonly nonEmpty: Record<CapacityKind, Set<Bucket>> = { email: new Set(), chat: new Set(), sms: new Set(), social: new Set() };
  private readonly presenceCount: Record<Presence, number> = { available: 0, away: 0, offline: 0 };
  private readonly timers = new TimeHeap<Timer>();
  private timerSeq = 0;
  private liveTimers = 0;
  private ticketSeq = 0;
  private clock = Number.NEGATIVE_INFINITY;
  private startedAt: number | undefined;
  private out: Decision[] = [];
  // Work lists for `settle`: arrays with a mark on the member rather than Sets, which reallocate
  // their table each time they are emptied (several times per event).
  private dirtyAgents: AgentState[] = [];
  private dirtyBuckets: Bucket[] = [];
  /** Tickets that entered a queue during this event; a ticket's `enteredAt` says where it is listed (-1: not listed). */
  private readonly entered: TicketState[] = [];
  private readonly needsIds = new Map<string, number>();
  private readonly targetBuckets = new WeakMap<ResolvedTarget, TargetBuckets>();
  private readonly scratchTop: AgentState[] = [];
  private readonly scratchRejected: AgentState[] = [];
  private readonly scratchNotMatching: AgentState[] = [];
  /** Words made once and reused (see `describeAgent`, `passedOver`). */
  private readonly spareWords = new Map<number, string>();
  private readonly atCapacityWords: string[][] = CAPACITY_KINDS.map(() => []);
  private readonly awayWords: string[] = [];
  private readonly stepWords = new WeakMap<ResolvedTarget, { count: number; byPriority: Map<number, string> }>();
  /** Reused for SLA policy matching: the ticket's bindings plus `queue` and the routed `priority`. */
  private readonly slaBindings: Record<string, Value> = {};

  constructor(
    readonly workflow: Workflow,
    private readonly options: RoutingEngineOptions = {},
  ) {
    for (const config of workflow.queues) {
      this.queues.set(config.id, {
        config,
        buckets: new Map(),
        waiting: 0,
        byPriority: new Map(),
        rate: new ServiceRate(workflow.serviceRateWindowSeconds * 1000),
        offerOpenWords: `offer open for ${config.offerTimeoutSeconds}s`,
        autoAcceptWords: `queue '${config.id}' accepts on the agent's behalf`,
      });
    }
  }

  /** Applies one event at time `now` (ms); due timers up to `now` run first. Returns what was decided, in order. */
  apply(event: RoutingEvent, now: number): Decision[] {
    this.out = [];
    if (this.startedAt === undefined) this.startedAt = now;
    this.runTimers(now);
    this.clock = Math.max(this.clock, now);
    this.handle(event);
    this.settle();
    return this.out;
  }

  /** When the next timer (offer timeout, step timeout, SLA warning or breach) is due, if any: call `apply({type:'tick'}, at)` then. */
  nextTimerAt(): number | undefined {
    return this.timerHead()?.at;
  }

  ticket(id: string): TicketView | undefined {
    return this.tickets.get(id);
  }

  agent(id: string): AgentView | undefined {
    return this.agents.get(id);
  }

  allTickets(): Iterable<TicketView> {
    return this.tickets.values();
  }

  allAgents(): Iterable<AgentView> {
    return this.agents.values();
  }

  /** Position of a waiting ticket in its queue (by the queue's order) and the expected wait from the recent service rate. */
  queuePosition(ticketId: string, now: number): QueuePosition | undefined {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status !== 'waiting' || !ticket.bucket) return undefined;
    const queue = ticket.bucket.queue;
    let ahead = 0;
    const own = this.entryOf(ticket);
    for (const bucket of queue.buckets.values()) {
      for (const e of bucket.heap.values()) {
        if (this.entryValid(e, bucket) && e.ticket !== ticket && this.ahead(e, own, queue)) ahead++;
      }
    }
    return this.positionOf(ticket, queue, ahead + 1, now);
  }

  /** Every waiting ticket of a queue, in queue order, with its position and expected wait. */
  waitingList(queueId: string, now: number): QueuePosition[] {
    const queue = this.queues.get(queueId);
    if (!queue) return [];
    const entries: Entry[] = [];
    for (const bucket of queue.buckets.values()) for (const e of bucket.heap.values()) if (this.entryValid(e, bucket)) entries.push(e);
    entries.sort((a, b) => (this.ahead(a, b, queue) ? -1 : this.ahead(b, a, queue) ? 1 : 0));
    return entries.map((e, i) => this.positionOf(e.ticket, queue, i + 1, now));
  }

  // ---------------------------------------------------------------- events

  private handle(event: RoutingEvent): void {
    switch (event.type) {
      case 'agent':
        return this.upsertAgent(event.agent);
      case 'arrival':
        return this.arrive(event.ticketId, event.attributes);
      case 'accept':
        return this.accept(event.ticketId, event.agentId);
      case 'reject':
        return this.declined(event.ticketId, event.agentId, 'rejected', event.reason);
      case 'offerTimeout':
        return this.declined(event.ticketId, event.agentId, 'timed-out');
      case 'presence':
        return this.setPresence(event.agentId, event.presence, 'agent');
      case 'capacityChange':
        return this.changeCapacity(event.agentId, event.capacity);
      case 'respond':
        return this.respond(event.ticketId);
      case 'resolve':
        return this.resolve(event.ticketId);
      case 'reopen':
        return this.reopen(event.ticketId);
      case 'transfer':
        return this.transfer(event.ticketId, event.to);
      case 'ticketPending':
        return this.pauseSla(event.ticketId, event.at);
      case 'ticketResumed':
        return this.resumeSla(event.ticketId, event.at);
      case 'restore':
        return this.restore(event.ticketId, event.attributes, event.stored);
      case 'tick':
        return;
    }
  }

  private emit(decision: Decision): void {
    this.out.push(decision);
    this.options.observe?.(decision, this);
  }

  private ignore(event: RoutingEvent['type'], reason: string): void {
    this.emit({ type: 'ignored', at: this.clock, event, reason, explanation: [reason] });
  }

  private upsertAgent(profile: AgentProfile): void {
    const existing = this.agents.get(profile.id);
    const bindings: Record<string, Value> = {
      id: profile.id,
      skills: profile.skills ?? [],
      languages: profile.languages ?? [],
      teams: profile.teams ?? [],
      team: profile.teams?.[0],
      level: profile.level ?? 0,
    };
    if (!existing) {
      const agent: AgentState = {
        id: profile.id,
        profile,
        bindings,
        presence: 'offline',
        capacity: { ...this.workflow.capacity, ...profile.capacity },
        load: { email: 0, chat: 0, sms: 0, social: 0 },
        offered: new IdList(),
        assigned: new IdList(),
        missedOffers: 0,
        idleSince: this.clock,
        index: this.agentsByIndex.length,
        whyNot: [],
        namedWhyNot: [],
        held: 0,
        slots: 0,
        freeIndex: new Int32Array(CAPACITY_KINDS.length).fill(-1),
        dirty: false,
        words: agentWords(profile.id),
      };
      agent.slots = sumKinds(agent.capacity);
      this.agents.set(agent.id, agent);
      this.agentsByIndex.push(agent);
      this.ensureTable(this.agentsByIndex.length);
      this.idle[agent.index] = agent.idleSince;
      this.presenceCount.offline++;
      if (profile.presence && profile.presence !== 'offline') this.setPresence(agent.id, profile.presence, 'agent');
      return;
    }
    existing.profile = profile;
    existing.bindings = bindings;
    for (const e of this.eligibility) if (e) e[existing.index] = 0;
    existing.whyNot = [];
    existing.namedWhyNot = [];
    if (profile.capacity) existing.capacity = { ...this.workflow.capacity, ...profile.capacity };
    existing.slots = sumKinds(existing.capacity);
    this.refreshFree(existing);
    this.markAgent(existing);
    if (profile.presence && profile.presence !== existing.presence) this.setPresence(existing.id, profile.presence, 'agent');
  }

  private arrive(ticketId: string, attributes: TicketAttributes): void {
    if (this.tickets.has(ticketId)) return this.ignore('arrival', `ticket ${ticketId} already arrived`);
    const match = matchWorkflow(this.workflow, attributes);
    const target = match.targets[0];
    const ticket = this.newTicket(ticketId, attributes, match.bindings, {
      queue: target.queue,
      priority: target.priority,
      filter: match.filter,
      step: 0,
      targets: match.targets,
      raisedBy: 0,
      queuedAt: this.clock,
      createdAt: this.clock,
      stepEnteredAt: this.clock,
      reason: 'routed',
      stepVersion: 0,
    });
    this.tickets.set(ticketId, ticket);
    this.enterStep(ticket, 0, 'arrival', match.explanation);
    this.startSla(ticket, this.clock);
  }

  /** Every ticket, arrived or restored, is built here: one shape, so the hot paths see one hidden class. */
  private newTicket(
    id: string,
    attributes: TicketAttributes,
    bindings: TicketState['bindings'],
    placed: Pick<TicketState, 'queue' | 'priority' | 'filter' | 'step' | 'targets' | 'worker' | 'raisedBy' | 'previousAgentId' | 'queuedAt' | 'createdAt' | 'stepEnteredAt' | 'reason' | 'firstRespondedAt' | 'stepVersion'>,
  ): TicketState {
    return {
      id,
      seq: this.ticketSeq++,
      attributes,
      bindings,
      channel: attributes.channel,
      kind: capacityKindOf(attributes.channel),
      status: 'waiting',
      queue: placed.queue,
      priority: placed.priority,
      filter: placed.filter,
      step: placed.step,
      targets: placed.targets,
      steps: placed.targets.length,
      worker: placed.worker,
      raisedBy: placed.raisedBy,
      previousAgentId: placed.previousAgentId,
      queuedAt: placed.queuedAt,
      createdAt: placed.createdAt,
      stepEnteredAt: placed.stepEnteredAt,
      reason: placed.reason,
      rejectedBy: NOBODY,
      escalations: NONE_YET,
      firstRespondedAt: placed.firstRespondedAt,
      slaPausedAt: undefined,
      slaPauses: NO_PAUSES,
      via: 'queue',
      version: 0,
      stepVersion: placed.stepVersion,
      stepTimerFor: -1,
      offerVersion: 0,
      slaVersion: 0,
      slaTimerSeq: -1,
      enteredAt: -1,
    };
  }

  private restore(ticketId: string, attributes: TicketAttributes, stored: StoredRouting): void {
    if (this.tickets.has(ticketId)) return this.ignore('restore', `ticket ${ticketId} is already known`);
    const match = matchWorkflow(this.workflow, attributes);
    let targets = match.targets;
    let filter = match.filter;
    let step = 0;
    let rerouted: string | undefined;
    if (stored.queue !== undefined && !this.queues.has(stored.queue)) {
      rerouted = `queue '${stored.queue}' is not in the workflow any more: routed again by the current workflow, keeping its age`;
    } else if (stored.queue !== undefined && (stored.filter !== match.filter || targets[stored.step ?? 0]?.queue !== stored.queue)) {
      // Moved there by a transfer, an overflow or an older workflow: it stays where it is.
      filter = stored.filter ?? match.filter;
      targets = [{ queue: stored.queue, priority: stored.priority ?? targets[0].priority, step: 0 }];
    } else if (stored.queue !== undefined) {
      step = stored.step ?? 0;
    }
    const target = targets[step];
    const priority = rerouted || stored.priority === undefined ? target.priority : stored.priority;
    const ticket = this.newTicket(ticketId, attributes, match.bindings, {
      queue: target.queue,
      priority,
      filter,
      step,
      targets,
      worker: target.worker,
      raisedBy: priority - target.priority,
      previousAgentId: stored.previousAgentId,
      queuedAt: stored.queuedAt,
      createdAt: stored.createdAt,
      stepEnteredAt: rerouted ? this.clock : (stored.stepEnteredAt ?? stored.queuedAt),
      reason: 'restored',
      firstRespondedAt: stored.firstRespondedAt,
      stepVersion: 1,
    });
    this.tickets.set(ticketId, ticket);
    const clockStart = stored.reopenedAt ?? stored.createdAt;
    if (stored.slaPauses?.length) ticket.slaPauses = stored.slaPauses.filter((p) => p.to > clockStart);
    // A pause from before a reopening ended when the customer wrote: it does not hold the new clocks.
    if (stored.slaPausedAt !== undefined && stored.slaPausedAt >= clockStart) ticket.slaPausedAt = Math.min(stored.slaPausedAt, this.clock);
    if (rerouted) {
      const explanation = [rerouted, ...match.explanation, describeTarget(target, targets.length)];
      this.emit({ type: 'routed', at: this.clock, ticketId, queue: ticket.queue, priority, filter, step, cause: 'workflow', explanation });
    }
    this.startSla(ticket, clockStart, stored.reopenedAt !== undefined, new Set(stored.slaFired ?? []));
    const holder = stored.holder;
    if (!holder) return this.enqueue(ticket);
    const agent = this.agents.get(holder.agentId);
    const lost = !agent ? `${holder.agentId} is not a known agent` : agent.load[ticket.kind] >= agent.capacity[ticket.kind] ? `${holder.agentId} has no ${ticket.kind} slot for it any more` : undefined;
    if (!agent || lost) {
      this.emit({
        type: holder.state === 'offered' ? 'offerWithdrawn' : 'unassigned',
        at: this.clock,
        ticketId,
        agentId: holder.agentId,
        reason: holder.state === 'offered' ? 'timed-out' : 'agent-offline',
        explanation: [`${holder.state === 'offered' ? 'offer to' : 'assignment to'} ${holder.agentId} could not be restored: ${lost}`, 'back to its queue'],
      });
      return this.enqueue(ticket);
    }
    ticket.status = holder.state;
    ticket.agentId = agent.id;
    agent.load[ticket.kind]++;
    agent.held++;
    (holder.state === 'offered' ? agent.offered : agent.assigned).add(ticketId);
    this.refreshFree(agent);
    ticket.reason = `${holder.state} to ${agent.id}`;
    if (holder.state === 'offered') {
      ticket.offerVersion++;
      const timeout = (this.queues.get(ticket.queue) as QueueState).config.offerTimeoutSeconds * 1000;
      this.schedule(holder.offerExpiresAt ?? this.clock + timeout, 'offer', ticket, ticket.offerVersion);
    }
  }

  private accept(ticketId: string, agentId: string): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status !== 'offered' || ticket.agentId !== agentId) {
      return this.ignore('accept', `ticket ${ticketId} is not on offer to ${agentId}${ticket ? ` (it is ${ticket.status}${ticket.agentId ? ` with ${ticket.agentId}` : ''})` : ''}`);
    }
    const agent = this.agents.get(agentId) as AgentState;
    agent.missedOffers = 0;
    this.assign(ticket, agent, false, [agent.words.accepted]);
  }

  private declined(ticketId: string, agentId: string, reason: 'rejected' | 'timed-out', note?: string): void {
    const ticket = this.tickets.get(ticketId);
    const eventType = reason === 'rejected' ? 'reject' : 'offerTimeout';
    if (!ticket || ticket.status !== 'offered' || ticket.agentId !== agentId) {
      return this.ignore(eventType, `ticket ${ticketId} is not on offer to ${agentId}`);
    }
    const agent = this.agents.get(agentId) as AgentState;
    const why = reason === 'rejected' ? `${agentId} rejected the offer${note ? `: ${note}` : ''}` : `${agentId} did not answer the offer in time`;
    turnedDownBy(ticket, agentId);
    this.release(ticket, agent, 'offerWithdrawn', reason, [why, `${ticketId} returns to '${ticket.queue}' keeping its age; it is offered to the next agent`]);
    if (reason === 'rejected') agent.missedOffers = 0;
    else {
      agent.missedOffers++;
      const limit = this.workflow.missedOffersBeforeAway;
      if (limit > 0 && agent.missedOffers >= limit && agent.presence === 'available') {
        this.setPresence(agentId, 'away', 'engine', `${agent.missedOffers} offers in a row left unanswered (limit ${limit})`);
      }
    }
    this.returnToQueue(ticket);
  }

  private setPresence(agentId: string, presence: Presence, by: 'agent' | 'engine', why?: string): void {
    const agent = this.agents.get(agentId);
    if (!agent) return this.ignore('presence', `unknown agent ${agentId}`);
    if (agent.presence === presence) return;
    this.presenceCount[agent.presence]--;
    this.presenceCount[presence]++;
    const was = agent.presence;
    agent.presence = presence;
    if (by === 'engine') this.emit({ type: 'presenceChanged', at: this.clock, agentId, presence, explanation: [`${agentId} set ${presence}: ${why}`] });
    if (presence === 'available') {
      agent.missedOffers = 0;
      this.setIdle(agent, this.clock);
    } else {
      const reason: WithdrawReason = presence === 'offline' ? 'agent-offline' : 'agent-away';
      for (const id of agent.offered.toArray()) {
        const ticket = this.tickets.get(id) as TicketState;
        this.release(ticket, agent, 'offerWithdrawn', reason, [`${agentId} went ${presence} (was ${was}) with the offer open`, `${id} returns to '${ticket.queue}' keeping its age`]);
        this.returnToQueue(ticket);
      }
      if (presence === 'offline') {
        for (const id of agent.assigned.toArray()) {
          const ticket = this.tickets.get(id) as TicketState;
          ticket.previousAgentId = agentId;
          this.release(ticket, agent, 'unassigned', reason, [`${agentId} went offline holding ${id}`, `${id} returns to '${ticket.queue}' keeping its age`]);
          this.returnToQueue(ticket);
        }
      }
    }
    this.refreshFree(agent);
    if (presence === 'available') this.markAgent(agent);
  }

  private changeCapacity(agentId: string, capacity: Partial<Record<CapacityKind, number>>): void {
    const agent = this.agents.get(agentId);
    if (!agent) return this.ignore('capacityChange', `unknown agent ${agentId}`);
    Object.assign(agent.capacity, capacity);
    agent.slots = sumKinds(agent.capacity);
    this.refreshFree(agent);
    this.markAgent(agent);
  }

  private respond(ticketId: string): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return this.ignore('respond', `unknown ticket ${ticketId}`);
    if (ticket.firstRespondedAt !== undefined) return;
    ticket.firstRespondedAt = this.clock;
    // The first-response clock stops: the SLA chain moves on to the resolution timers.
    if (ticket.slaTimerKind?.startsWith('first-response')) this.scheduleNextSla(ticket);
    const due = ticket.sla?.firstResponseDueAt;
    const met = due === undefined ? 'no first-response target' : this.clock <= due ? spareWords(due - this.clock) : `first response ${fmtSeconds(this.clock - due)} after the target`;
    this.emit({ type: 'responded', at: this.clock, ticketId, agentId: ticket.agentId, explanation: [met] });
  }

  private resolve(ticketId: string): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status === 'resolved') return this.ignore('resolve', `ticket ${ticketId} is ${ticket ? 'already resolved' : 'unknown'}`);
    const agentId = ticket.agentId;
    const agent = agentId ? (this.agents.get(agentId) as AgentState) : undefined;
    const explanation = agent ? [agent.words.resolvedBy, agent.words.freeAgain[KIND_INDEX[ticket.kind]]] : [`resolved while ${ticket.status}`];
    if (ticket.status === 'waiting') this.dequeue(ticket);
    else if (agent) {
      if (ticket.status === 'offered') this.release(ticket, agent, 'offerWithdrawn', 'resolved', ['resolved before the offer was answered']);
      else this.release(ticket, agent, undefined, 'resolved', NO_WORDS);
      ticket.previousAgentId = agent.id;
    }
    ticket.status = 'resolved';
    ticket.reason = explanation[0];
    ticket.stepVersion++;
    ticket.offerVersion++;
    this.emit({ type: 'resolved', at: this.clock, ticketId, agentId, explanation });
  }

  private reopen(ticketId: string): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status !== 'resolved') return this.ignore('reopen', `ticket ${ticketId} is ${ticket ? ticket.status : 'unknown'}, not resolved`);
    ticket.status = 'waiting';
    ticket.queuedAt = this.clock;
    ticket.stepEnteredAt = this.clock;
    if (ticket.rejectedBy.size) ticket.rejectedBy.clear();
    // The customer wrote: whatever wait for them there was is over, and the new clocks start now.
    ticket.slaPausedAt = undefined;
    ticket.slaPauses = NO_PAUSES;
    this.emit({ type: 'reopened', at: this.clock, ticketId, explanation: ['the customer wrote again on a resolved ticket'] });
    this.startSla(ticket, this.clock, true);
    const previous = ticket.previousAgentId ? this.agents.get(ticket.previousAgentId) : undefined;
    if (previous && previous.presence === 'available' && previous.load[ticket.kind] < previous.capacity[ticket.kind]) {
      this.offer(ticket, previous, 'previous-agent', [`reopened: back to the previous agent ${previous.id}, who is available with ${ticket.kind} capacity free`]);
      return;
    }
    const why = !previous
      ? 'no previous agent'
      : previous.presence !== 'available'
        ? `previous agent ${previous.id} is ${previous.presence}`
        : `previous agent ${previous.id} has no ${ticket.kind} capacity free (${previous.load[ticket.kind]}/${previous.capacity[ticket.kind]})`;
    this.enterStep(ticket, ticket.step, 'reopen', [`reopened: ${why}, so back to '${ticket.queue}'`]);
  }

  private pauseSla(ticketId: string, at: number | undefined): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status === 'resolved') return this.ignore('ticketPending', `ticket ${ticketId} is ${ticket ? 'resolved' : 'unknown'}`);
    if (ticket.slaPausedAt !== undefined) return this.ignore('ticketPending', `ticket ${ticketId} already waits for the customer`);
    // Never later than now (timers up to now have run), never before the clocks started.
    ticket.slaPausedAt = Math.max(Math.min(at ?? this.clock, this.clock), ticket.sla?.start ?? ticket.createdAt);
    const sla = ticket.sla;
    if (!sla) return;
    ticket.slaVersion++;
    ticket.slaTimerSeq = -1;
    ticket.slaTimerKind = undefined;
    const explanation = [`SLA clocks of policy '${sla.policy.name}' paused while waiting for the customer`];
    const left = this.dueWords(ticket, ticket.slaPausedAt);
    if (left) explanation.push(`${left} when the customer writes again`);
    this.emit({ type: 'slaPaused', at: this.clock, ticketId, policy: sla.policy.name, explanation });
  }

  private resumeSla(ticketId: string, at: number | undefined): void {
    const ticket = this.tickets.get(ticketId);
    const from = ticket?.slaPausedAt;
    if (!ticket || from === undefined) return this.ignore('ticketResumed', `ticket ${ticketId} is ${ticket ? 'not waiting for the customer' : 'unknown'}`);
    const pause = { from, to: Math.min(Math.max(at ?? this.clock, from), this.clock) };
    ticket.slaPauses = [...ticket.slaPauses, pause];
    ticket.slaPausedAt = undefined;
    const sla = ticket.sla;
    if (!sla || ticket.status === 'resolved') return;
    ticket.slaVersion++;
    this.planSla(ticket, sla.fired);
    const pausedMs = this.pausedBetween(sla, pause.from, pause.to);
    const explanation = [`the customer wrote again: SLA clocks of policy '${sla.policy.name}' run on after ${fmtSeconds(pausedMs)} paused while waiting for the customer`];
    if (sla.hoursOf?.businessHours) explanation.push(`the pause counts the business hours of '${sla.hoursOf.id}' only (${sla.hoursOf.businessHours.describe()})`);
    const left = this.dueWords(ticket, this.clock);
    if (left) explanation.push(left);
    this.emit({
      type: 'slaResumed',
      at: this.clock,
      ticketId,
      policy: sla.policy.name,
      pausedMs,
      ...(sla.firstResponseDueAt !== undefined && ticket.firstRespondedAt === undefined ? { firstResponseDueAt: sla.firstResponseDueAt } : {}),
      ...(sla.resolutionDueAt !== undefined ? { resolutionDueAt: sla.resolutionDueAt } : {}),
      explanation,
    });
  }

  /** What is left of the running targets at `at`, in words ('resolution due in 1h 5m'), or '' with none. */
  private dueWords(ticket: TicketState, at: number): string {
    const sla = ticket.sla;
    if (!sla) return '';
    const words: string[] = [];
    const left = (target: SlaTarget, due: number | undefined) => {
      if (due === undefined) return;
      const fired = sla.fired.has(`${target}-breach`);
      words.push(fired || due <= at ? `${target} already breached` : `${target} due in ${fmtSeconds(this.openBetween(sla, at, due))}`);
    };
    if (sla.firstResponse && ticket.firstRespondedAt === undefined) left('first-response', sla.firstResponseDueAt);
    left('resolution', sla.resolutionDueAt);
    return words.join(', ');
  }

  private transfer(ticketId: string, to: TransferTarget): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status === 'resolved') return this.ignore('transfer', `ticket ${ticketId} is ${ticket ? 'resolved' : 'unknown'}`);
    const refuse = (reason: string): void => {
      this.emit({ type: 'transferRefused', at: this.clock, ticketId, reason, explanation: [reason] });
    };
    if (to.kind === 'agent') {
      const target = this.agents.get(to.agentId);
      if (!target) return refuse(`unknown agent ${to.agentId}`);
      if (ticket.agentId === target.id) return refuse(`${ticketId} is already with ${target.id}`);
      if (target.presence !== 'available') return refuse(`${target.id} is ${target.presence}`);
      if (target.load[ticket.kind] >= target.capacity[ticket.kind]) return refuse(`${target.id} has no ${ticket.kind} capacity free (${target.load[ticket.kind]}/${target.capacity[ticket.kind]})`);
      this.detach(ticket, `transferred to ${target.id}`);
      this.offer(ticket, target, 'transfer', [`transferred to agent ${target.id}`]);
      return;
    }
    if (to.kind === 'queue') {
      const queue = this.queues.get(to.queue);
      if (!queue) return refuse(`unknown queue '${to.queue}'`);
      this.detach(ticket, `transferred to queue '${to.queue}'`);
      const priority = to.priority ?? ticket.priority;
      ticket.filter = 'transfer';
      ticket.targets = [{ queue: to.queue, priority, step: 0 }];
      ticket.steps = 1;
      ticket.raisedBy = 0;
      this.enterStep(ticket, 0, 'transfer', [`transferred to queue '${to.queue}' at priority ${priority}, keeping its age`]);
      return;
    }
    this.detach(ticket, 'workflow run again');
    ticket.attributes = { ...ticket.attributes, ...to.attributes };
    ticket.channel = ticket.attributes.channel;
    ticket.kind = capacityKindOf(ticket.channel);
    const match = matchWorkflow(this.workflow, ticket.attributes);
    ticket.bindings = match.bindings;
    ticket.filter = match.filter;
    ticket.targets = match.targets;
    ticket.steps = match.targets.length;
    ticket.raisedBy = 0;
    const changed = to.attributes ? Object.keys(to.attributes).map((k) => `${k} set to ${JSON.stringify((to.attributes as Record<string, unknown>)[k])}`) : [];
    this.enterStep(ticket, 0, 'workflow', [...changed, 'workflow run again, keeping the ticket age', ...match.explanation]);
    this.startSla(ticket, ticket.createdAt);
  }

  /** Takes a ticket away from wherever it is (queue, offer, agent) before a transfer. */
  private detach(ticket: TicketState, why: string): void {
    if (ticket.status === 'waiting') this.dequeue(ticket);
    else if (ticket.agentId) {
      const agent = this.agents.get(ticket.agentId) as AgentState;
      if (ticket.status === 'assigned') ticket.previousAgentId = agent.id;
      this.release(ticket, agent, ticket.status === 'offered' ? 'offerWithdrawn' : 'unassigned', 'transferred', [why]);
    }
    ticket.status = 'waiting';
    if (ticket.rejectedBy.size) ticket.rejectedBy.clear();
  }

  // ---------------------------------------------------------------- queueing

  /** `why` is the caller's own array: it becomes the decision's explanation. */
  private enterStep(ticket: TicketState, step: number, cause: RouteCause, why: string[]): void {
    const target = ticket.targets[step];
    ticket.step = step;
    ticket.queue = target.queue;
    ticket.priority = target.priority + ticket.raisedBy;
    ticket.worker = target.worker;
    ticket.stepEnteredAt = this.clock;
    ticket.stepVersion++;
    if (ticket.rejectedBy.size) ticket.rejectedBy.clear();
    why.push(this.describeStep(target, ticket.priority, ticket.targets.length));
    this.emit({ type: 'routed', at: this.clock, ticketId: ticket.id, queue: ticket.queue, priority: ticket.priority, filter: ticket.filter, step, cause, explanation: why });
    this.enqueue(ticket);
  }

  /** The step's words at this priority, made once per target and priority (targets are shared by every ticket of a filter). */
  private describeStep(target: ResolvedTarget, priority: number, count: number): string {
    let known = this.stepWords.get(target);
    if (!known || known.count !== count) this.stepWords.set(target, (known = { count, byPriority: new Map() }));
    let words = known.byPriority.get(priority);
    if (words === undefined) known.byPriority.set(priority, (words = describeTarget({ ...target, priority }, count)));
    return words;
  }

  /** Back to its queue after an offer or assignment ended, keeping its age; a step that timed out meanwhile moves on. */
  private returnToQueue(ticket: TicketState): void {
    ticket.status = 'waiting';
    const target = ticket.targets[ticket.step];
    if (target.timeoutSeconds !== undefined && ticket.step < ticket.targets.length - 1 && this.clock >= ticket.stepEnteredAt + target.timeoutSeconds * 1000) {
      this.enterStep(ticket, ticket.step + 1, 'step-timeout', [`step ${ticket.step + 1} timed out (${target.timeoutSeconds}s) while on offer`]);
      return;
    }
    this.enqueue(ticket);
  }

  /**
   * The bucket of the ticket's current target. Most targets read no ticket value or one (the
   * language), so the bucket is remembered per target, kind and that value rather than found
   * through a key built for every ticket.
   */
  private bucketFor(ticket: TicketState): Bucket {
    const target = ticket.targets[ticket.step];
    let known = this.targetBuckets.get(target);
    if (!known) {
      const members = (this.queues.get(target.queue) as QueueState).config.membersExpr;
      const names = [...(target.workerExpr?.names ?? []), ...(members?.names ?? [])].filter((n) => n.startsWith('ticket.')).map((n) => n.slice('ticket.'.length));
      known = { names, byKind: [], byValue: [] };
      this.targetBuckets.set(target, known);
    }
    const k = KIND_INDEX[ticket.kind];
    if (known.names.length === 0) return known.byKind[k] ?? (known.byKind[k] = this.findBucket(ticket));
    const value = known.names.length === 1 ? ticket.bindings[known.names[0]] : undefined;
    if (known.names.length > 1 || (typeof value === 'object' && value !== null)) return this.findBucket(ticket);
    const byValue = known.byValue[k] ?? (known.byValue[k] = new Map());
    let bucket = byValue.get(value);
    if (!bucket) byValue.set(value, (bucket = this.findBucket(ticket)));
    return bucket;
  }

  private findBucket(ticket: TicketState): Bucket {
    const queue = this.queues.get(ticket.queue) as QueueState;
    const worker = ticket.targets[ticket.step].workerExpr;
    const ticketValues: Record<string, Value> = {};
    const names = [...(worker?.names ?? []), ...(queue.config.membersExpr?.names ?? [])].filter((n) => n.startsWith('ticket.'));
    if (names.length) {
      const b = ticket.bindings;
      for (const n of names) ticketValues[n] = b[n.slice('ticket.'.length)];
    }
    const needsKey = `${queue.config.id}\u0000${worker?.source ?? ''}\u0000${names.length ? JSON.stringify(ticketValues) : ''}`;
    const key = `${needsKey}\u0000${ticket.kind}`;
    let needsId = this.needsIds.get(needsKey);
    if (needsId === undefined) this.needsIds.set(needsKey, (needsId = this.needsIds.size));
    let bucket = queue.buckets.get(key);
    if (!bucket) {
      const order = queue.config.order;
      bucket = {
        key,
        needsKey,
        needsId,
        queue,
        kind: ticket.kind,
        worker,
        ticketValues,
        heap: new BinaryHeap<Entry>(order === 'age' ? (a, b) => a.queuedAt < b.queuedAt || (a.queuedAt === b.queuedAt && a.seq < b.seq) : rankBefore),
        live: 0,
        reason: '',
        dirty: false,
        headWords: new Map(),
        choseWords: '',
      };
      queue.buckets.set(key, bucket);
    }
    return bucket;
  }

  private enqueue(ticket: TicketState): void {
    const bucket = this.bucketFor(ticket);
    ticket.status = 'waiting';
    ticket.agentId = undefined;
    ticket.bucket = bucket;
    ticket.version++;
    bucket.heap.push(this.entryOf(ticket));
    bucket.live++;
    const queue = bucket.queue;
    queue.waiting++;
    queue.byPriority.set(ticket.priority, (queue.byPriority.get(ticket.priority) ?? 0) + 1);
    this.nonEmpty[bucket.kind].add(bucket);
    this.markBucket(bucket);
    this.markEntered(ticket);
  }

  private dequeue(ticket: TicketState): void {
    const bucket = ticket.bucket;
    if (!bucket) return;
    ticket.bucket = undefined;
    ticket.version++;
    bucket.live--;
    const queue = bucket.queue;
    queue.waiting--;
    const n = (queue.byPriority.get(ticket.priority) ?? 1) - 1;
    if (n === 0) queue.byPriority.delete(ticket.priority);
    else queue.byPriority.set(ticket.priority, n);
    if (bucket.live === 0) {
      this.nonEmpty[bucket.kind].delete(bucket);
      bucket.heap.retain(() => false);
    } else if (bucket.heap.size > 2 * bucket.live + 64) {
      bucket.heap.retain((e) => this.entryValid(e, bucket));
    }
  }

  private entryOf(ticket: TicketState): Entry {
    return { ticket, version: ticket.version, priority: ticket.priority, queuedAt: ticket.queuedAt, seq: ticket.seq };
  }

  private entryValid(e: Entry, bucket: Bucket): boolean {
    return e.version === e.ticket.version && e.ticket.bucket === bucket;
  }

  private head(bucket: Bucket): Entry | undefined {
    for (;;) {
      const e = bucket.heap.peek();
      if (!e || this.entryValid(e, bucket)) return e;
      bucket.heap.pop();
    }
  }

  /** The first ticket of the bucket this agent has not turned down. */
  private headFor(bucket: Bucket, agent: AgentState): Entry | undefined {
    const first = this.head(bucket);
    if (!first || !first.ticket.rejectedBy.has(agent.id)) return first;
    const skipped: Entry[] = [];
    let found: Entry | undefined;
    for (;;) {
      const e = this.head(bucket);
      if (!e) break;
      if (!e.ticket.rejectedBy.has(agent.id)) {
        found = e;
        break;
      }
      skipped.push(bucket.heap.pop() as Entry);
    }
    skipped.forEach((e) => bucket.heap.push(e));
    return found;
  }

  /** Is `a` ahead of `b` in `queue`'s order (or, across queues, by priority then age)? */
  private ahead(a: Entry, b: Entry, queue?: QueueState): boolean {
    if (queue?.config.order === 'age') return a.queuedAt < b.queuedAt || (a.queuedAt === b.queuedAt && a.seq < b.seq);
    return rankBefore(a, b);
  }

  private positionOf(ticket: TicketState, queue: QueueState, position: number, now: number): QueuePosition {
    const rate = queue.rate.perSecond(Math.max(now, this.clock), this.startedAt ?? now);
    const hours = queue.config.businessHours;
    const t = Math.max(now, this.clock);
    if (hours && !hours.isOpen(t)) {
      // Closed: the wait is at least until it opens, then the ticket's turn at the recent rate.
      const opening = hours.nextOpening(t);
      const served = rate ? Math.round(position / rate.rate) : 0;
      const expectedWaitSeconds = opening === undefined ? undefined : Math.round((opening - t) / 1000) + served;
      const explanation = `position ${position} of ${queue.waiting} in '${queue.config.id}'; the queue is closed${opening === undefined ? ' with no opening hours ahead' : `, opens in ${fmtSeconds(opening - t)} (${hours.describe()})`}${rate ? `, then about ${fmtSeconds(served * 1000)} at the recent rate` : ''}`;
      return { ticketId: ticket.id, queue: queue.config.id, position, waiting: queue.waiting, expectedWaitSeconds, explanation };
    }
    const expectedWaitSeconds = rate ? Math.round(position / rate.rate) : undefined;
    const explanation = rate
      ? `position ${position} of ${queue.waiting} in '${queue.config.id}'; ${rate.assignments} assignments in the last ${fmtSeconds(rate.overSeconds * 1000)} (${(rate.rate * 60).toFixed(1)}/min) → about ${fmtSeconds((expectedWaitSeconds ?? 0) * 1000)}`
      : `position ${position} of ${queue.waiting} in '${queue.config.id}'; no assignments from this queue recently, so no estimate`;
    return { ticketId: ticket.id, queue: queue.config.id, position, waiting: queue.waiting, expectedWaitSeconds, explanation };
  }

  // ---------------------------------------------------------------- matching

  private refreshFree(agent: AgentState): void {
    const used = agent.held / Math.max(1, agent.slots);
    for (let k = 0; k < CAPACITY_KINDS.length; k++) {
      const kind = CAPACITY_KINDS[k];
      // Spare slots first, then the lower share of all slots in use: spare differs by whole numbers, the share adds < 1.
      this.balance[k][agent.index] = agent.capacity[kind] - agent.load[kind] + (1 - used) / 2;
      const list = this.free[kind];
      const at = agent.freeIndex[k];
      if (agent.presence === 'available' && agent.load[kind] < agent.capacity[kind]) {
        if (at < 0) agent.freeIndex[k] = list.push(agent.index) - 1;
      } else if (at >= 0) {
        const last = list.pop() as number;
        if (last !== agent.index) {
          list[at] = last;
          this.agentsByIndex[last].freeIndex[k] = at;
        }
        agent.freeIndex[k] = -1;
      }
    }
  }

  private ensureTable(size: number): void {
    if (size <= this.tableSize) return;
    const next = Math.max(64, this.tableSize * 2, size);
    const grow = <T extends Int8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const fresh = make(next);
      fresh.set(old);
      return fresh;
    };
    this.eligibility = this.eligibility.map((e) => grow(e, (n) => new Int8Array(n)));
    this.balance = this.balance.map((b) => grow(b, (n) => new Float64Array(n)));
    this.idle = grow(this.idle, (n) => new Float64Array(n));
    this.tableSize = next;
  }

  private eligibilityOf(needsId: number): Int8Array {
    let table = this.eligibility[needsId];
    if (!table) this.eligibility[needsId] = table = new Int8Array(this.tableSize);
    return table;
  }

  private setIdle(agent: AgentState, at: number): void {
    agent.idleSince = at;
    this.idle[agent.index] = at;
  }

  private eligible(agent: AgentState, bucket: Bucket): boolean {
    const table = this.eligibilityOf(bucket.needsId);
    const known = table[agent.index];
    if (known !== 0) return known === 1;
    const members = bucket.queue.config.membersExpr;
    const b = this.bindingsFor(agent, bucket);
    const ok = (!members || members.evaluate(b)) && (!bucket.worker || bucket.worker.evaluate(b));
    table[agent.index] = ok ? 1 : 2;
    return ok;
  }

  private bindingsFor(agent: AgentState, bucket: Bucket): Bindings {
    return { ...agent.bindings, ...bucket.ticketValues };
  }

  /** `<agent> (<why not>)`, kept with the reason. */
  private namedNotEligible(agent: AgentState, bucket: Bucket): string {
    let named = agent.namedWhyNot[bucket.needsId];
    if (named === undefined) agent.namedWhyNot[bucket.needsId] = named = `${agent.id} (${this.whyNotEligible(agent, bucket)})`;
    return named;
  }

  private whyNotEligible(agent: AgentState, bucket: Bucket): string {
    let why = agent.whyNot[bucket.needsId];
    if (why === undefined) agent.whyNot[bucket.needsId] = why = this.explainNotEligible(agent, bucket);
    return why;
  }

  private explainNotEligible(agent: AgentState, bucket: Bucket): string {
    const b = this.bindingsFor(agent, bucket);
    const members = bucket.queue.config.membersExpr;
    if (members && !members.evaluate(b)) return `not a member of '${bucket.queue.config.id}': ${members.explainFalse(b)}`;
    return bucket.worker ? `worker expression: ${bucket.worker.explainFalse(b)}` : 'not eligible';
  }

  /** Is `a` a better choice than `b` for this queue's agent choice? */
  private betterAgent(a: AgentState, b: AgentState | undefined, kind: CapacityKind, choice: QueueConfig['agentChoice']): boolean {
    if (!b) return true;
    const k = KIND_INDEX[kind];
    if (choice === 'longest-idle') {
      if (a.idleSince !== b.idleSince) return a.idleSince < b.idleSince;
      const ka = this.balance[k][a.index];
      const kb = this.balance[k][b.index];
      if (ka !== kb) return ka > kb;
    } else {
      const ka = this.balance[k][a.index];
      const kb = this.balance[k][b.index];
      if (ka !== kb) return ka > kb;
      if (a.idleSince !== b.idleSince) return a.idleSince < b.idleSince;
    }
    return a.id < b.id;
  }

  private describeAgent(agent: AgentState, kind: CapacityKind): string {
    const capacity = agent.capacity[kind];
    const spare = capacity - agent.load[kind];
    // The middle repeats for every agent with the same spare and capacity: made once (small whole numbers only).
    const small = spare >= 0 && spare < 256 && capacity < 256 && Number.isInteger(spare) && Number.isInteger(capacity);
    const key = (KIND_INDEX[kind] * 256 + capacity) * 256 + spare;
    let middle = small ? this.spareWords.get(key) : undefined;
    if (middle === undefined) {
      middle = ` (${spare} of ${capacity} ${kind} free, idle since `;
      if (small) this.spareWords.set(key, middle);
    }
    return `${agent.id}${middle}${this.relative(agent.idleSince)})`;
  }

  private relative(at: number): string {
    if (!Number.isFinite(at)) return 'the start';
    const s = Math.max(0, Math.round((this.clock - at) / 1000));
    if (s < 7200) return agoText[s] ?? (agoText[s] = `${fmtSeconds(this.clock - at)} ago`);
    return `${fmtSeconds(this.clock - at)} ago`;
  }

  private settle(): void {
    while (this.dirtyAgents.length || this.dirtyBuckets.length) {
      if (this.dirtyAgents.length) {
        const agents = this.dirtyAgents;
        this.dirtyAgents = [];
        if (agents.length > 1) agents.sort((a, b) => (a.id < b.id ? -1 : 1));
        for (const agent of agents) {
          agent.dirty = false;
          this.fillAgent(agent);
        }
      }
      if (!this.dirtyBuckets.length) continue;
      const buckets = this.dirtyBuckets;
      this.dirtyBuckets = [];
      for (const b of buckets) b.dirty = false;
      if (buckets.length === 1) {
        if (this.head(buckets[0])) this.fillBucket(buckets[0]);
        continue;
      }
      const heads = buckets.map((b) => ({ b, h: this.head(b) })).filter((x): x is { b: Bucket; h: Entry } => x.h !== undefined);
      heads.sort((x, y) => (rankBefore(x.h, y.h) ? -1 : rankBefore(y.h, x.h) ? 1 : 0));
      for (const { b } of heads) this.fillBucket(b);
    }
    const entered = this.entered;
    for (let i = 0; i < entered.length; i++) {
      const ticket = entered[i];
      if (ticket.enteredAt !== i || ticket.status !== 'waiting' || !ticket.bucket) continue;
      // The step's timeout only matters for tickets left waiting, so its timer is set here rather than on entering the step.
      const target = ticket.targets[ticket.step];
      if (target.timeoutSeconds !== undefined && ticket.step < ticket.targets.length - 1 && ticket.stepTimerFor !== ticket.stepVersion) {
        ticket.stepTimerFor = ticket.stepVersion;
        this.schedule(ticket.stepEnteredAt + target.timeoutSeconds * 1000, 'step', ticket, ticket.stepVersion);
      }
      const queue = ticket.bucket.queue;
      const approx = this.approxPosition(ticket, queue);
      const pos = this.positionOf(ticket, queue, approx, this.clock);
      ticket.reason = ticket.bucket.reason || 'waiting for an agent';
      this.emit({
        type: 'waiting',
        at: this.clock,
        ticketId: ticket.id,
        queue: queue.config.id,
        reason: ticket.reason,
        position: approx,
        expectedWaitSeconds: pos.expectedWaitSeconds,
        explanation: [ticket.reason, pos.explanation],
      });
    }
    for (const ticket of entered) ticket.enteredAt = -1;
    entered.length = 0;
  }

  private markAgent(agent: AgentState): void {
    if (agent.dirty) return;
    agent.dirty = true;
    this.dirtyAgents.push(agent);
  }

  private markBucket(bucket: Bucket): void {
    if (bucket.dirty) return;
    bucket.dirty = true;
    this.dirtyBuckets.push(bucket);
  }

  private markEntered(ticket: TicketState): void {
    if (ticket.enteredAt >= 0) return;
    ticket.enteredAt = this.entered.length;
    this.entered.push(ticket);
  }

  /** Tickets of higher priority plus those of the same priority (all older for a new arrival), without a scan. */
  private approxPosition(ticket: TicketState, queue: QueueState): number {
    if (queue.config.order === 'age') return queue.waiting;
    let ahead = 0;
    for (const [p, n] of queue.byPriority) if (p >= ticket.priority) ahead += n;
    return Math.max(1, ahead);
  }

  /** Gives the bucket's head tickets to free agents, best agent first, until no one can take the head. */
  private fillBucket(bucket: Bucket): void {
    const queue = bucket.queue.config;
    const kind = bucket.kind;
    const choice = queue.agentChoice;
    // Scratch lists, reused: one pass per head ticket, many heads per event.
    const top = this.scratchTop;
    const rejected = this.scratchRejected;
    const notMatching = this.scratchNotMatching;
    for (;;) {
      const head = this.head(bucket);
      if (!head) return;
      const ticket = head.ticket;
      // One pass over the free agents: the best `MAX_NAMED` candidates in order, and who was passed over.
      top.length = 0;
      rejected.length = 0;
      notMatching.length = 0;
      let candidates = 0;
      let notMatchingCount = 0;
      const eligibility = this.eligibilityOf(bucket.needsId);
      const balance = this.balance[KIND_INDEX[kind]];
      const idle = this.idle;
      const byIndex = this.agentsByIndex;
      const balanced = choice === 'balanced';
      const turnedDown = ticket.rejectedBy.size ? ticket.rejectedBy : undefined;
      const free = this.free[kind];
      // The last of the best few so far: most agents lose to it on the first key and are skipped without loading them.
      let worst = -1;
      for (let f = 0; f < free.length; f++) {
        const ai = free[f];
        const known = eligibility[ai];
        if (known === 2 || (known === 0 && !this.eligible(byIndex[ai], bucket))) {
          if (notMatchingCount++ < 3) notMatching.push(byIndex[ai]);
          continue;
        }
        if (turnedDown?.has(byIndex[ai].id)) {
          rejected.push(byIndex[ai]);
          continue;
        }
        candidates++;
        if (worst >= 0) {
          if (balanced) {
            const key = balance[ai];
            const worstKey = balance[worst];
            if (key < worstKey || (key === worstKey && idle[ai] > idle[worst])) continue;
          } else if (idle[ai] > idle[worst]) continue;
        }
        const agent = byIndex[ai];
        let i = top.length;
        while (i > 0 && this.betterAgent(agent, top[i - 1], kind, choice)) i--;
        if (i < MAX_NAMED) {
          // Insert at i; the last of a full list drops off.
          let m = top.length < MAX_NAMED ? top.push(agent) - 1 : MAX_NAMED - 1;
          for (; m > i; m--) top[m] = top[m - 1];
          top[i] = agent;
          if (top.length === MAX_NAMED) worst = top[MAX_NAMED - 1].index;
        }
      }
      const best = top[0];
      if (!best) {
        bucket.reason = `no agent can take it now: ${this.passedOver(bucket, rejected, notMatching, notMatchingCount, []).join('; ')}`;
        // Agents who turned the head down may still take the next ticket of this bucket.
        for (const a of rejected) this.markAgent(a);
        return;
      }
      let named = this.describeAgent(top[0], kind);
      for (let i = 1; i < top.length; i++) named += `, ${this.describeAgent(top[i], kind)}`;
      const explanation = [
        `${ticket.id}${this.headWords(bucket, ticket.priority)}${fmtSeconds(this.clock - ticket.queuedAt)})`,
        `${countWords(candidates, 'candidate')}: ${named}${candidates > MAX_NAMED ? ', …' : ''}`,
      ];
      this.passedOver(bucket, rejected, notMatching, notMatchingCount, explanation);
      explanation.push(`chose ${best.id}${bucket.choseWords || (bucket.choseWords = `: ${choice === 'longest-idle' ? 'longest idle' : `most ${kind} capacity free`} (queue '${queue.id}' uses ${choice})`)}`);
      this.offer(ticket, best, 'queue', explanation);
    }
  }

  /** ` is first in '<queue>' for its needs (priority <p>, waiting `: the same words for every head of this bucket at this priority. */
  private headWords(bucket: Bucket, priority: number): string {
    let words = bucket.headWords.get(priority);
    if (words === undefined) bucket.headWords.set(priority, (words = ` is first in '${bucket.queue.config.id}' for its needs (priority ${priority}, waiting `));
    return words;
  }

  /** Adds to `lines` why the free agents not chosen were passed over, and who else could not be asked; returns `lines`. */
  private passedOver(bucket: Bucket, rejected: AgentState[], notMatching: AgentState[], notMatchingCount: number, lines: string[]): string[] {
    const start = lines.length;
    const kind = bucket.kind;
    const available = this.presenceCount.available;
    const atCapacity = available - this.free[kind].length;
    if (rejected.length) lines.push(`passed over ${rejected.map((a) => a.id).join(', ')}: turned this ticket down`);
    if (notMatchingCount) {
      let named = this.namedNotEligible(notMatching[0], bucket);
      for (let i = 1; i < notMatching.length; i++) named += `, ${this.namedNotEligible(notMatching[i], bucket)}`;
      lines.push(`passed over ${countWords(notMatchingCount, 'free agent')} not matching: ${named}${notMatchingCount > notMatching.length ? ', …' : ''}`);
    }
    if (atCapacity > 0) lines.push(countedWords(this.atCapacityWords[KIND_INDEX[kind]], atCapacity, 'available agent', AT_CAPACITY[KIND_INDEX[kind]]));
    const away = this.presenceCount.away + this.presenceCount.offline;
    if (away > 0) lines.push(countedWords(this.awayWords, away, 'agent', ' away or offline'));
    if (lines.length === start) lines.push('no agents known');
    return lines;
  }

  /** Gives a newly free agent the best waiting tickets it can take, across all queues, until it is full. */
  private fillAgent(agent: AgentState): void {
    while (agent.presence === 'available') {
      let best: Entry | undefined;
      let bestBucket: Bucket | undefined;
      let considered = 0;
      const notFor: Bucket[] = [];
      for (const kind of CAPACITY_KINDS) {
        if (agent.load[kind] >= agent.capacity[kind]) continue;
        for (const bucket of this.nonEmpty[kind]) {
          if (!this.eligible(agent, bucket)) {
            notFor.push(bucket);
            continue;
          }
          const e = this.headFor(bucket, agent);
          if (!e) continue;
          considered++;
          if (!best || (bucket.queue === bestBucket?.queue ? this.ahead(e, best, bucket.queue) : rankBefore(e, best))) {
            best = e;
            bestBucket = bucket;
          }
        }
      }
      if (!best || !bestBucket) return;
      const ticket = best.ticket;
      const queue = bestBucket.queue.config;
      const explanation = [
        `${agent.id} has ${bestBucket.kind} capacity free (${agent.load[bestBucket.kind]}/${agent.capacity[bestBucket.kind]} in use)`,
        `${considered} waiting group${considered === 1 ? '' : 's'} it can take; ${ticket.id} in '${queue.id}' is first: ${queue.order === 'age' ? 'oldest' : 'highest priority, then oldest'} (priority ${ticket.priority}, waiting ${fmtSeconds(this.clock - ticket.queuedAt)})`,
      ];
      if (notFor.length) {
        const named = notFor.slice(0, 3).map((b) => `'${b.queue.config.id}' (${this.whyNotEligible(agent, b)})`);
        explanation.push(`passed over ${notFor.length} waiting group${notFor.length === 1 ? '' : 's'} not for ${agent.id}: ${named.join(', ')}${notFor.length > 3 ? ', …' : ''}`);
      }
      this.offer(ticket, agent, 'queue', explanation);
    }
  }

  /** `explanation` is the caller's own array: it becomes the decision's. */
  private offer(ticket: TicketState, agent: AgentState, via: OfferVia, explanation: string[]): void {
    this.dequeue(ticket);
    ticket.via = via;
    const queueState = this.queues.get(ticket.queue) as QueueState;
    const queue = queueState.config;
    ticket.status = 'offered';
    ticket.agentId = agent.id;
    agent.load[ticket.kind]++;
    agent.held++;
    agent.offered.add(ticket.id);
    this.setIdle(agent, this.clock);
    this.refreshFree(agent);
    ticket.enteredAt = -1;
    if (queue.autoAccept) {
      explanation.push(queueState.autoAcceptWords);
      this.assign(ticket, agent, true, explanation);
      return;
    }
    ticket.offerVersion++;
    const expiresAt = this.clock + queue.offerTimeoutSeconds * 1000;
    this.schedule(expiresAt, 'offer', ticket, ticket.offerVersion);
    ticket.reason = agent.words.offeredTo;
    explanation.push(queueState.offerOpenWords);
    this.emit({ type: 'offered', at: this.clock, ticketId: ticket.id, agentId: agent.id, queue: queue.id, via, expiresAt, explanation });
  }

  private assign(ticket: TicketState, agent: AgentState, autoAccepted: boolean, explanation: string[]): void {
    ticket.status = 'assigned';
    ticket.offerVersion++;
    agent.offered.delete(ticket.id);
    agent.assigned.add(ticket.id);
    ticket.reason = agent.words.assignedTo;
    const queue = this.queues.get(ticket.queue) as QueueState;
    queue.rate.record(this.clock);
    this.emit({ type: 'assigned', at: this.clock, ticketId: ticket.id, agentId: agent.id, queue: queue.config.id, via: ticket.via, autoAccepted, waitedSeconds: Math.round((this.clock - ticket.queuedAt) / 1000), explanation });
  }

  /** Frees the agent's slot; the caller puts the ticket somewhere. */
  private release(ticket: TicketState, agent: AgentState, decision: 'offerWithdrawn' | 'unassigned' | undefined, reason: WithdrawReason, explanation: string[]): void {
    agent.offered.delete(ticket.id);
    agent.assigned.delete(ticket.id);
    agent.load[ticket.kind]--;
    agent.held--;
    ticket.agentId = undefined;
    ticket.offerVersion++;
    this.refreshFree(agent);
    this.markAgent(agent);
    if (decision) this.emit({ type: decision, at: this.clock, ticketId: ticket.id, agentId: agent.id, reason, explanation });
  }

  // ---------------------------------------------------------------- timers, SLA, escalation

  private schedule(at: number, kind: Timer['kind'], ticket: TicketState, version: number): number {
    const seq = this.timerSeq++;
    this.timers.push({ at, seq, kind, ticket, version });
    // Timers go stale in place (answered offers, resolved tickets); drop them in bulk when they pile up.
    if (this.timers.size > 2 * this.liveTimers + 4096) {
      this.timers.retain((t) => this.timerValid(t));
      this.liveTimers = this.timers.size;
    }
    return seq;
  }

  private timerValid(t: Timer): boolean {
    if (t.kind === 'offer') return t.version === t.ticket.offerVersion && t.ticket.status === 'offered';
    if (t.kind === 'step') return t.version === t.ticket.stepVersion && t.ticket.status === 'waiting';
    return t.seq === t.ticket.slaTimerSeq && t.ticket.status !== 'resolved';
  }

  /** The first timer that will do something, dropping stale ones (and moving SLA chains past answered first responses). */
  private timerHead(): Timer | undefined {
    for (;;) {
      const t = this.timers.peek();
      if (!t || this.timerValid(t)) return t;
      this.timers.pop();
    }
  }

  private runTimers(now: number): void {
    for (;;) {
      const t = this.timerHead();
      if (!t || t.at > now) return;
      this.timers.pop();
      this.clock = Math.max(this.clock, t.at);
      this.fire(t);
      if (t.kind !== 'offer' && t.kind !== 'step' && t.seq === t.ticket.slaTimerSeq && t.ticket.status !== 'resolved') this.scheduleNextSla(t.ticket);
      this.settle();
    }
  }

  /** Puts the ticket's next SLA warning or breach in the timer heap, skipping first-response ones once answered. */
  private scheduleNextSla(ticket: TicketState): void {
    ticket.slaTimerSeq = -1;
    ticket.slaTimerKind = undefined;
    // Waiting for the customer: nothing falls due until the clocks run again (the resume plans them anew).
    if (ticket.slaPausedAt !== undefined) return;
    const pending = ticket.sla?.pending;
    while (pending?.length) {
      const next = pending.shift() as { at: number; kind: SlaTimer };
      if (next.kind.startsWith('first-response') && ticket.firstRespondedAt !== undefined) continue;
      ticket.slaTimerSeq = this.schedule(next.at, next.kind, ticket, ticket.slaVersion);
      ticket.slaTimerKind = next.kind;
      return;
    }
  }

  private fire(t: Timer): void {
    const ticket = t.ticket;
    if (t.kind === 'offer') {
      this.declined(ticket.id, ticket.agentId as string, 'timed-out');
      return;
    }
    if (t.kind === 'step') {
      const target = ticket.targets[ticket.step];
      this.dequeue(ticket);
      this.enterStep(ticket, ticket.step + 1, 'step-timeout', [`no agent took it within ${target.timeoutSeconds}s at step ${ticket.step + 1}`]);
      return;
    }
    const sla = ticket.sla as SlaState;
    const target: SlaTarget = t.kind.startsWith('first-response') ? 'first-response' : 'resolution';
    if (target === 'first-response' && ticket.firstRespondedAt !== undefined) return;
    const dueAt = (target === 'first-response' ? sla.firstResponseDueAt : sla.resolutionDueAt) as number;
    const breach = t.kind.endsWith('breach');
    const explanation = [
      breach ? `${target} target of policy '${sla.policy.name}' breached (due ${fmtSeconds(this.clock - dueAt)} ago)` : `${target} target of policy '${sla.policy.name}' due in ${fmtSeconds(dueAt - this.clock)}`,
      `ticket is ${ticket.status}${ticket.agentId ? ` with ${ticket.agentId}` : ` in '${ticket.queue}'`}`,
    ];
    if (sla.hoursOf?.businessHours) explanation.push(`the clock counts the business hours of '${sla.hoursOf.id}' only (${sla.hoursOf.businessHours.describe()})`);
    const paused = this.pausedSince(ticket, sla);
    if (paused > 0) explanation.push(`due time ${fmtSeconds(paused)} later for the time paused while waiting for the customer`);
    sla.fired.add(t.kind);
    const decision: Decision = breach
      ? { type: 'slaBreached', at: this.clock, ticketId: ticket.id, target, policy: sla.policy.name, dueAt, explanation }
      : { type: 'slaWarning', at: this.clock, ticketId: ticket.id, target, policy: sla.policy.name, dueAt, explanation };
    this.emit(decision);
    const actions = breach ? sla.policy.onBreach : sla.policy.onWarning;
    for (const action of actions) explanation.push(this.escalate(ticket, action, `${target} ${breach ? 'breach' : 'warning'}`));
    if (breach) ticket.escalations = [...ticket.escalations, `${target} breached (${sla.policy.name})`];
  }

  /** `fired`: when restoring, the warnings and breaches already decided (a warning not yet given is given late rather than never). */
  private startSla(ticket: TicketState, start: number, reopened = false, fired?: ReadonlySet<SlaTimer>): void {
    const b = Object.assign(this.slaBindings, ticket.bindings);
    b.queue = ticket.queue;
    b.priority = ticket.priority;
    let policy: SlaPolicy | undefined;
    for (const p of this.workflow.sla) {
      if (!p.whenExpr || p.whenExpr.evaluate(b)) {
        policy = p;
        break;
      }
    }
    ticket.slaVersion++;
    ticket.slaTimerSeq = -1;
    ticket.slaTimerKind = undefined;
    ticket.sla = undefined;
    ticket.slaPolicy = undefined;
    ticket.firstResponseDueAt = undefined;
    ticket.resolutionDueAt = undefined;
    if (!policy) return;
    const queue = (this.queues.get(ticket.queue) as QueueState).config;
    const firstResponse = policy.firstResponseSeconds !== undefined && !reopened && ticket.firstRespondedAt === undefined;
    const sla: SlaState = { policy, start, firstResponse, fired: new Set(fired), pending: [] };
    if (queue.businessHours) sla.hoursOf = queue;
    ticket.sla = sla;
    ticket.slaPolicy = policy.name;
    this.planSla(ticket, fired);
  }

  /**
   * Due times from when the clocks started plus the time paused since (on the policy's clock), then
   * the warnings and breaches still to come; none is put in the timer heap while the ticket waits
   * for the customer. `fired`: plan as a restore does (what was decided is not decided again, a
   * warning not yet given is given late rather than never).
   */
  private planSla(ticket: TicketState, fired?: ReadonlySet<SlaTimer>): void {
    const sla = ticket.sla as SlaState;
    const { policy, start } = sla;
    const hours = sla.hoursOf?.businessHours;
    const paused = this.pausedSince(ticket, sla);
    sla.pending = [];
    sla.firstResponseDueAt = sla.firstResponse ? slaTimeAfter(hours, start, (policy.firstResponseSeconds as number) * 1000 + paused) : undefined;
    sla.resolutionDueAt = policy.resolutionSeconds !== undefined ? slaTimeAfter(hours, start, policy.resolutionSeconds * 1000 + paused) : undefined;
    ticket.firstResponseDueAt = sla.firstResponseDueAt;
    ticket.resolutionDueAt = sla.resolutionDueAt;
    this.planSlaTimers(sla, paused, sla.firstResponseDueAt, policy.firstResponseSeconds, 'first-response-warning', 'first-response-breach', fired);
    this.planSlaTimers(sla, paused, sla.resolutionDueAt, policy.resolutionSeconds, 'resolution-warning', 'resolution-breach', fired);
    this.scheduleNextSla(ticket);
  }

  /** Time the ticket's finished pauses took since its clocks started, on the policy's clock. */
  private pausedSince(ticket: TicketState, sla: SlaState): number {
    let total = 0;
    for (const p of ticket.slaPauses) total += this.pausedBetween(sla, Math.max(p.from, sla.start), p.to);
    return total;
  }

  /** Time between two instants on the policy's clock: open hours only when it counts business hours. */
  private pausedBetween(sla: SlaState, from: number, to: number): number {
    if (to <= from) return 0;
    return this.openBetween(sla, from, to);
  }

  private openBetween(sla: SlaState, from: number, to: number): number {
    const hours = sla.hoursOf?.businessHours;
    return hours ? hours.openBetween(from, to) : Math.max(0, to - from);
  }

  /** Adds one target's warning and breach to the ticket's pending SLA timers, kept in time order (ties in the order added). */
  private planSlaTimers(sla: SlaState, paused: number, due: number | undefined, seconds: number | undefined, warning: SlaTimer, breach: SlaTimer, fired?: ReadonlySet<SlaTimer>): void {
    if (due === undefined || seconds === undefined) return;
    const policy = sla.policy;
    const warnAt = slaTimeAfter(sla.hoursOf?.businessHours, sla.start, Math.max(0, seconds - (policy.warnBeforeSeconds ?? seconds / 5)) * 1000 + paused) ?? due;
    if (fired) {
      if (!fired.has(warning) && !fired.has(breach) && due > this.clock) insertByTime(sla.pending, Math.max(warnAt, this.clock), warning);
      if (!fired.has(breach)) insertByTime(sla.pending, Math.max(due, this.clock), breach);
      return;
    }
    if (warnAt > this.clock) insertByTime(sla.pending, warnAt, warning);
    insertByTime(sla.pending, Math.max(due, this.clock), breach);
  }

  private escalate(ticket: TicketState, action: EscalationAction, trigger: string): string {
    switch (action.action) {
      case 'raise-priority': {
        const from = ticket.priority;
        ticket.raisedBy += action.by;
        const waiting = ticket.status === 'waiting';
        if (waiting) this.dequeue(ticket);
        ticket.priority = from + action.by;
        if (waiting) this.enqueue(ticket);
        ticket.enteredAt = -1;
        this.emit({ type: 'priorityChanged', at: this.clock, ticketId: ticket.id, from, to: ticket.priority, explanation: [`${trigger}: priority raised by ${action.by}`] });
        return `raise-priority: ${from} → ${ticket.priority}`;
      }
      case 'next-target': {
        if (ticket.status !== 'waiting') return `next-target skipped: ticket is ${ticket.status}`;
        if (ticket.step >= ticket.targets.length - 1) return 'next-target skipped: already at the last target';
        this.dequeue(ticket);
        this.enterStep(ticket, ticket.step + 1, 'escalation', [`${trigger}: moved to the next target`]);
        return `next-target: step ${ticket.step + 1}, queue '${ticket.queue}'`;
      }
      case 'overflow':
      case 'move-to': {
        const queueId = action.action === 'move-to' ? action.queue : (this.queues.get(ticket.queue) as QueueState).config.overflow;
        if (!queueId) return `overflow skipped: queue '${ticket.queue}' has no overflow queue`;
        if (queueId === ticket.queue) return `${action.action} skipped: already in '${queueId}'`;
        if (ticket.status !== 'waiting') return `${action.action} skipped: ticket is ${ticket.status}`;
        this.dequeue(ticket);
        ticket.filter = `${ticket.filter} → ${action.action}`;
        ticket.targets = [{ queue: queueId, priority: ticket.priority - ticket.raisedBy, step: 0 }];
        ticket.steps = 1;
        this.enterStep(ticket, 0, 'escalation', [`${trigger}: moved to '${queueId}' (${action.action})`]);
        return `${action.action}: now in '${queueId}'`;
      }
      case 'reassign': {
        if (!ticket.agentId) return `reassign skipped: ticket is ${ticket.status}, not with an agent`;
        const agent = this.agents.get(ticket.agentId) as AgentState;
        turnedDownBy(ticket, agent.id);
        if (ticket.status === 'assigned') ticket.previousAgentId = agent.id;
        this.release(ticket, agent, ticket.status === 'offered' ? 'offerWithdrawn' : 'unassigned', 'escalated', [`${trigger}: taken from ${agent.id}, offered to someone else`]);
        const rejected = new Set(ticket.rejectedBy);
        this.returnToQueue(ticket);
        rejected.forEach((id) => turnedDownBy(ticket, id));
        return `reassign: taken from ${agent.id}`;
      }
      case 'alert-supervisors': {
        const message = `${ticket.id} (${ticket.attributes.category}, priority ${ticket.priority}, ${ticket.status}${ticket.agentId ? ` with ${ticket.agentId}` : ` in '${ticket.queue}'`}): ${trigger}`;
        this.emit({ type: 'alert', at: this.clock, ticketId: ticket.id, audience: 'supervisors', message, explanation: [message] });
        return 'alert-supervisors: sent';
      }
    }
  }
}

/** In business hours the clock stops while the queue is closed; undefined when it never opens. */
function slaTimeAfter(hours: BusinessHours | undefined, start: number, ms: number): number | undefined {
  return hours ? hours.addBusinessTime(start, ms) : start + ms;
}

function insertByTime(pending: { at: number; kind: SlaTimer }[], at: number, kind: SlaTimer): void {
  const item = { at, kind };
  let i = pending.length;
  pending.push(item);
  while (i > 0 && pending[i - 1].at > at) {
    pending[i] = pending[i - 1];
    i--;
  }
  pending[i] = item;
}

const NONE_YET: readonly string[] = [];
const NO_PAUSES: readonly SlaPause[] = [];

/** The shared empty `rejectedBy`: never added to (see `turnedDownBy`), and cleared only when not empty. */
const NOBODY: Set<string> = new Set();

function turnedDownBy(ticket: TicketState, agentId: string): void {
  if (ticket.rejectedBy === NOBODY) ticket.rejectedBy = new Set();
  ticket.rejectedBy.add(agentId);
}

function rankBefore(a: Entry, b: Entry): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt;
  return a.seq < b.seq;
}

function sumKinds(r: Record<CapacityKind, number>): number {
  return r.email + r.chat + r.sms + r.social;
}
