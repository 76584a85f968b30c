import { TimeHeap } from '../engine/time-heap';
import { Decision, RoutingEvent } from '../engine/model';
import { RoutingEngine } from '../engine/routing-engine';
import { CAPACITY_KINDS, Workflow } from '../workflow';
import { seededRandom, SimTicket, Traffic } from './traffic';

/** How simulated agents behave; randomness comes from `seed`, so a run is repeatable. */
export interface AgentBehaviour {
  seed: number;
  /** An offer is answered after a uniform delay in this range. */
  answerSeconds: [number, number];
  /** Share of offers turned down. */
  rejectRate: number;
  /** Share of offers left to time out. */
  noAnswerRate: number;
  /** An agent the engine set away (missed offers) comes back after this long, if still on shift. */
  backFromAwaySeconds: number;
  /** At the end of a shift the agent takes no new work and logs off this much later (tickets still held return to their queues). */
  logoffAfterSeconds: number;
}

export const DEFAULT_BEHAVIOUR: AgentBehaviour = { seed: 7, answerSeconds: [2, 15], rejectRate: 0.02, noAnswerRate: 0.01, backFromAwaySeconds: 120, logoffAfterSeconds: 1800 };

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SlaAttainment {
  met: number;
  missed: number;
  /** Still open at the end with the target not yet passed. */
  open: number;
  /** met / (met + missed). */
  attainment: number;
}

export interface SimulationReport {
  tickets: number;
  assigned: number;
  resolved: number;
  /** Not assigned when the traffic ended, with their last reason. */
  waitingAtEnd: number;
  waitingReasons: Record<string, number>;
  /** Seconds from arrival to the first assignment. */
  wait: Percentiles;
  waitByQueue: Record<string, Percentiles>;
  firstResponse: SlaAttainment;
  resolution: SlaAttainment;
  byPolicy: Record<string, { firstResponse: SlaAttainment; resolution: SlaAttainment }>;
  agents: {
    count: number;
    /** Share of on-shift time with at least one conversation. */
    occupancy: number;
    /** Conversations held over conversation slots (all channels), on-shift time. */
    slotUtilisation: number;
    /** Mean conversations held at once while on shift. */
    meanConversations: number;
  };
  offers: { made: number; accepted: number; autoAccepted: number; rejected: number; timedOut: number; withdrawn: number };
  escalation: { warnings: number; breaches: number; alerts: number; reassigned: number; stepTimeouts: number; reopened: number; toPreviousAgent: number };
  events: number;
  decisions: number;
  simulatedHours: number;
}

/**
 * What the run scheduled, with its time and order of scheduling: one object each (hundreds of
 * thousands per run), all of one shape (fields it does not need are empty) so that reading `at`
 * in the heap stays a plain field load.
 */
interface Scheduled {
  at: number;
  seq: number;
  kind: 'shiftStart' | 'shiftEnd' | 'logoff' | 'backFromAway' | 'answer' | 'respond' | 'resolve' | 'reopen';
  agentId: string;
  ticketId: string;
  epoch: number;
  accept: boolean;
}

interface TicketTrack {
  ticket: SimTicket;
  offerEpoch: number;
  assignEpoch: number;
  firstAssignedAt?: number;
  firstQueue?: string;
  firstResponse?: 'met' | 'missed';
  resolution?: 'met' | 'missed';
  policy?: string;
  reopened: boolean;
}

interface AgentTrack {
  onShift: boolean;
  lastAt: number;
  held: number;
  heldIntegral: number;
  occupiedIntegral: number;
  shiftMs: number;
  slots: number;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { count: sorted.length, mean: round(mean), p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]) };
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function attainment(met: number, missed: number, open: number): SlaAttainment {
  return { met, missed, open, attainment: met + missed ? round(met / (met + missed), 4) : 1 };
}

/**
 * Replays traffic (tickets and agent shifts) through a RoutingEngine with the given workflow, with
 * agents answering offers, replying and resolving as `behaviour` says; reports waits, SLA attainment
 * and agent utilisation. Pure and deterministic: no clock, no I/O.
 */
export function simulate(workflow: Workflow, traffic: Traffic, behaviour: AgentBehaviour = DEFAULT_BEHAVIOUR): SimulationReport {
  const engine = new RoutingEngine(workflow);
  const random = seededRandom(behaviour.seed);
  const heap = new TimeHeap<Scheduled>();
  let seq = 0;
  const schedule = (at: number, kind: Scheduled['kind'], agentId: string, ticketId = '', epoch = 0, accept = false) => heap.push({ at, seq: seq++, kind, agentId, ticketId, epoch, accept });
  const tickets = new Map<string, TicketTrack>();
  const agents = new Map<string, AgentTrack>();
  const profiles = new Map(traffic.agents.map((a) => [a.profile.id, a.profile]));
  const counts = { made: 0, accepted: 0, autoAccepted: 0, rejected: 0, timedOut: 0, withdrawn: 0, warnings: 0, breaches: 0, alerts: 0, reassigned: 0, stepTimeouts: 0, reopened: 0, toPreviousAgent: 0 };
  let events = 0;
  let decisions = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;

  for (const a of traffic.agents) {
    const slots = CAPACITY_KINDS.reduce((s, k) => s + (a.profile.capacity?.[k] ?? workflow.capacity[k]), 0);
    agents.set(a.profile.id, { onShift: false, lastAt: NaN, held: 0, heldIntegral: 0, occupiedIntegral: 0, shiftMs: 0, slots });
    for (const s of a.shifts) {
      schedule(s.start, 'shiftStart', a.profile.id);
      schedule(s.end, 'shiftEnd', a.profile.id);
    }
  }
  // Arrivals come from the time-ordered list; the heap holds only what the run schedules as it goes.
  const arrivals = [...traffic.tickets].sort((a, b) => a.at - b.at);
  let nextArrival = 0;
  for (const t of arrivals) tickets.set(t.id, { ticket: t, offerEpoch: 0, assignEpoch: 0, reopened: false });

  const touch = (agentId: string, at: number) => {
    const track = agents.get(agentId);
    if (!track) return;
    const view = engine.agent(agentId);
    const dt = Number.isNaN(track.lastAt) ? 0 : at - track.lastAt;
    if (track.onShift || track.held > 0) {
      track.heldIntegral += track.held * dt;
      if (track.held > 0) track.occupiedIntegral += dt;
    }
    if (track.onShift) track.shiftMs += dt;
    track.lastAt = at;
    track.held = view ? view.load.email + view.load.chat + view.load.sms + view.load.social : 0;
  };

  const observe = (d: Decision, now: number) => {
    decisions++;
    switch (d.type) {
      case 'offered': {
        counts.made++;
        if (d.via === 'previous-agent') counts.toPreviousAgent++;
        const track = tickets.get(d.ticketId) as TicketTrack;
        const epoch = ++track.offerEpoch;
        const r = random();
        if (r >= behaviour.noAnswerRate) {
          const delay = behaviour.answerSeconds[0] + random() * (behaviour.answerSeconds[1] - behaviour.answerSeconds[0]);
          schedule(now + delay * 1000, 'answer', d.agentId, d.ticketId, epoch, r >= behaviour.noAnswerRate + behaviour.rejectRate);
        }
        break;
      }
      case 'assigned': {
        if (d.autoAccepted) {
          counts.autoAccepted++;
          counts.made++;
        } else counts.accepted++;
        const track = tickets.get(d.ticketId) as TicketTrack;
        const epoch = ++track.assignEpoch;
        if (track.firstAssignedAt === undefined) {
          track.firstAssignedAt = d.at;
          track.firstQueue = d.queue;
        }
        const view = engine.ticket(d.ticketId);
        if (view?.firstRespondedAt === undefined) schedule(d.at + track.ticket.firstResponseSeconds * 1000, 'respond', '', d.ticketId, epoch);
        schedule(d.at + track.ticket.handleSeconds * 1000, 'resolve', '', d.ticketId, epoch);
        break;
      }
      case 'offerWithdrawn':
        if (d.reason === 'rejected') counts.rejected++;
        else if (d.reason === 'timed-out') counts.timedOut++;
        else counts.withdrawn++;
        break;
      case 'unassigned':
        if (d.reason === 'escalated') counts.reassigned++;
        break;
      case 'responded': {
        const track = tickets.get(d.ticketId) as TicketTrack;
        const view = engine.ticket(d.ticketId);
        if (track.firstResponse === undefined && view?.firstResponseDueAt !== undefined) {
          track.firstResponse = d.at <= view.firstResponseDueAt ? 'met' : 'missed';
          track.policy = view.slaPolicy;
        }
        break;
      }
      case 'resolved': {
        const track = tickets.get(d.ticketId) as TicketTrack;
        const view = engine.ticket(d.ticketId);
        if (track.resolution === undefined && view?.resolutionDueAt !== undefined) {
          track.resolution = d.at <= view.resolutionDueAt ? 'met' : 'missed';
          track.policy = view.slaPolicy;
        }
        if (track.ticket.reopenAfterSeconds !== undefined && !track.reopened) {
          track.reopened = true;
          schedule(d.at + track.ticket.reopenAfterSeconds * 1000, 'reopen', '', d.ticketId);
        }
        break;
      }
      case 'routed':
        if (d.cause === 'step-timeout') counts.stepTimeouts++;
        break;
      case 'reopened':
        counts.reopened++;
        break;
      case 'slaWarning':
        counts.warnings++;
        break;
      case 'slaBreached':
        counts.breaches++;
        break;
      case 'alert':
        counts.alerts++;
        break;
      case 'presenceChanged':
        if (d.presence === 'away') schedule(now + behaviour.backFromAwaySeconds * 1000, 'backFromAway', d.agentId);
        break;
      default:
        break;
    }
    if ('agentId' in d && d.agentId) touch(d.agentId, d.at);
  };

  const apply = (event: RoutingEvent, now: number) => {
    events++;
    for (const d of engine.apply(event, now)) observe(d, now);
  };

  const toEvent = (e: Scheduled, now: number): RoutingEvent | undefined => {
    switch (e.kind) {
      case 'shiftStart': {
        const track = agents.get(e.agentId) as AgentTrack;
        touch(e.agentId, now);
        track.onShift = true;
        if (!engine.agent(e.agentId)) return { type: 'agent', agent: { ...(profiles.get(e.agentId) as object), id: e.agentId, presence: 'available' } };
        return { type: 'presence', agentId: e.agentId, presence: 'available' };
      }
      case 'shiftEnd': {
        touch(e.agentId, now);
        (agents.get(e.agentId) as AgentTrack).onShift = false;
        schedule(now + behaviour.logoffAfterSeconds * 1000, 'logoff', e.agentId);
        return { type: 'presence', agentId: e.agentId, presence: 'away' };
      }
      case 'logoff':
        return (agents.get(e.agentId) as AgentTrack).onShift ? undefined : { type: 'presence', agentId: e.agentId, presence: 'offline' };
      case 'backFromAway': {
        const view = engine.agent(e.agentId);
        return (agents.get(e.agentId) as AgentTrack).onShift && view?.presence === 'away' ? { type: 'presence', agentId: e.agentId, presence: 'available' } : undefined;
      }
      case 'answer': {
        const track = tickets.get(e.ticketId) as TicketTrack;
        const view = engine.ticket(e.ticketId);
        if (track.offerEpoch !== e.epoch || view?.status !== 'offered' || view.agentId !== e.agentId) return undefined;
        return e.accept ? { type: 'accept', ticketId: e.ticketId, agentId: e.agentId } : { type: 'reject', ticketId: e.ticketId, agentId: e.agentId };
      }
      case 'respond':
      case 'resolve': {
        const track = tickets.get(e.ticketId) as TicketTrack;
        const view = engine.ticket(e.ticketId);
        if (track.assignEpoch !== e.epoch || view?.status !== 'assigned') return undefined;
        if (e.kind === 'respond' && view.firstRespondedAt !== undefined) return undefined;
        return { type: e.kind as 'respond' | 'resolve', ticketId: e.ticketId };
      }
      case 'reopen':
        return engine.ticket(e.ticketId)?.status === 'resolved' ? { type: 'reopen', ticketId: e.ticketId } : undefined;
    }
  };

  for (;;) {
    const scheduled = heap.peek();
    const arrival = arrivals[nextArrival] as SimTicket | undefined;
    // Arrivals go before what is scheduled for the same instant.
    const isArrival = arrival !== undefined && (!scheduled || arrival.at <= scheduled.at);
    const at = isArrival ? arrival.at : scheduled?.at;
    if (at === undefined) break;
    const timer = engine.nextTimerAt();
    if (timer !== undefined && timer < at) {
      apply({ type: 'tick' }, timer);
      continue;
    }
    first = Math.min(first, at);
    last = Math.max(last, at);
    if (isArrival) {
      nextArrival++;
      apply({ type: 'arrival', ticketId: arrival.id, attributes: arrival.attributes }, at);
      continue;
    }
    heap.pop();
    const event = toEvent(scheduled as Scheduled, at);
    if (event) apply(event, at);
  }
  for (const id of agents.keys()) touch(id, last);

  // Results.
  const waits: number[] = [];
  const byQueue = new Map<string, number[]>();
  const fr = { met: 0, missed: 0, open: 0 };
  const res = { met: 0, missed: 0, open: 0 };
  const policies = new Map<string, { fr: typeof fr; res: typeof res }>();
  const waitingReasons: Record<string, number> = {};
  let assigned = 0;
  let resolved = 0;
  let waitingAtEnd = 0;
  for (const track of tickets.values()) {
    const view = engine.ticket(track.ticket.id);
    if (!view) continue;
    if (track.firstAssignedAt !== undefined) {
      assigned++;
      const w = (track.firstAssignedAt - track.ticket.at) / 1000;
      waits.push(w);
      const q = byQueue.get(track.firstQueue as string) ?? [];
      q.push(w);
      byQueue.set(track.firstQueue as string, q);
    }
    if (view.status === 'resolved') resolved++;
    if (view.status === 'waiting') {
      waitingAtEnd++;
      const reason = view.reason.replace(/\d+/g, 'N').slice(0, 120);
      waitingReasons[reason] = (waitingReasons[reason] ?? 0) + 1;
    }
    const policy = track.policy ?? view.slaPolicy;
    const p = policy ? (policies.get(policy) ?? { fr: { met: 0, missed: 0, open: 0 }, res: { met: 0, missed: 0, open: 0 } }) : undefined;
    if (policy && p) policies.set(policy, p);
    const frOutcome = track.firstResponse ?? (view.firstResponseDueAt === undefined ? undefined : view.firstResponseDueAt < last ? 'missed' : 'open');
    const resOutcome = track.resolution ?? (view.resolutionDueAt === undefined ? undefined : view.resolutionDueAt < last ? 'missed' : 'open');
    if (frOutcome) {
      fr[frOutcome]++;
      if (p) p.fr[frOutcome]++;
    }
    if (resOutcome) {
      res[resOutcome]++;
      if (p) p.res[resOutcome]++;
    }
  }
  let shiftMs = 0;
  let held = 0;
  let occupied = 0;
  let slotMs = 0;
  for (const a of agents.values()) {
    shiftMs += a.shiftMs;
    held += a.heldIntegral;
    occupied += a.occupiedIntegral;
    slotMs += a.slots * a.shiftMs;
  }
  return {
    tickets: traffic.tickets.length,
    assigned,
    resolved,
    waitingAtEnd,
    waitingReasons,
    wait: percentiles(waits),
    waitByQueue: Object.fromEntries([...byQueue.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([q, w]) => [q, percentiles(w)])),
    firstResponse: attainment(fr.met, fr.missed, fr.open),
    resolution: attainment(res.met, res.missed, res.open),
    byPolicy: Object.fromEntries([...policies.entries()].map(([name, p]) => [name, { firstResponse: attainment(p.fr.met, p.fr.missed, p.fr.open), resolution: attainment(p.res.met, p.res.missed, p.res.open) }])),
    agents: {
      count: traffic.agents.length,
      occupancy: shiftMs ? round(Math.min(1, occupied / shiftMs), 4) : 0,
      slotUtilisation: slotMs ? round(held / slotMs, 4) : 0,
      meanConversations: shiftMs ? round(held / shiftMs, 2) : 0,
    },
    offers: { made: counts.made, accepted: counts.accepted, autoAccepted: counts.autoAccepted, rejected: counts.rejected, timedOut: counts.timedOut, withdrawn: counts.withdrawn },
    escalation: { warnings: counts.warnings, breaches: counts.breaches, alerts: counts.alerts, reassigned: counts.reassigned, stepTimeouts: counts.stepTimeouts, reopened: counts.reopened, toPreviousAgent: counts.toPreviousAgent },
    events,
    decisions,
    simulatedHours: Number.isFinite(first) ? round((last - first) / 3_600_000, 2) : 0,
  };
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function secs(v: number): string {
  return v < 120 ? `${v.toFixed(0)}s` : v < 7200 ? `${(v / 60).toFixed(1)}m` : `${(v / 3600).toFixed(1)}h`;
}

/** The report as a few lines of text for a terminal. */
export function formatReport(r: SimulationReport): string {
  const lines = [
    `tickets ${r.tickets}, assigned ${r.assigned}, resolved ${r.resolved}, waiting at the end ${r.waitingAtEnd} (over ${r.simulatedHours} h simulated; ${r.events} events, ${r.decisions} decisions)`,
    `wait to first assignment: p50 ${secs(r.wait.p50)}, p90 ${secs(r.wait.p90)}, p99 ${secs(r.wait.p99)}, mean ${secs(r.wait.mean)}, max ${secs(r.wait.max)}`,
    ...Object.entries(r.waitByQueue).map(([q, p]) => `  ${q.padEnd(18)} ${String(p.count).padStart(7)} tickets  p50 ${secs(p.p50).padStart(6)}  p90 ${secs(p.p90).padStart(6)}`),
    `SLA first response: ${pct(r.firstResponse.attainment)} met (${r.firstResponse.met} met, ${r.firstResponse.missed} missed, ${r.firstResponse.open} open)`,
    `SLA resolution:     ${pct(r.resolution.attainment)} met (${r.resolution.met} met, ${r.resolution.missed} missed, ${r.resolution.open} open)`,
    ...Object.entries(r.byPolicy).map(([name, p]) => `  ${name.padEnd(18)} first response ${pct(p.firstResponse.attainment).padStart(6)}  resolution ${pct(p.resolution.attainment).padStart(6)}`),
    `agents ${r.agents.count}: occupancy ${pct(r.agents.occupancy)} of on-shift time, ${r.agents.meanConversations} conversations held on average, slot utilisation ${pct(r.agents.slotUtilisation)}`,
    `offers ${r.offers.made}: accepted ${r.offers.accepted}, auto-accepted ${r.offers.autoAccepted}, rejected ${r.offers.rejected}, timed out ${r.offers.timedOut}, withdrawn ${r.offers.withdrawn}`,
    `escalation: ${r.escalation.warnings} SLA warnings, ${r.escalation.breaches} breaches, ${r.escalation.alerts} supervisor alerts, ${r.escalation.reassigned} reassigned, ${r.escalation.stepTimeouts} step timeouts, ${r.escalation.reopened} reopened (${r.escalation.toPreviousAgent} back to the previous agent)`,
  ];
  const reasons = Object.entries(r.waitingReasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) lines.push('waiting at the end because:', ...reasons.slice(0, 5).map(([reason, n]) => `  ${n} × ${reason}`));
  return lines.join('\n');
}
