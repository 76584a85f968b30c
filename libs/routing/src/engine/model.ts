import { Channel } from '@switchboard/contracts';
import { TicketAttributes } from '../attributes';
import { CapacityKind } from '../workflow';
import { IdSet } from './id-list';

export type Presence = 'available' | 'away' | 'offline';

/** What routing knows about an agent; attributes are what worker expressions read. */
export interface AgentProfile {
  id: string;
  skills?: readonly string[];
  languages?: readonly string[];
  teams?: readonly string[];
  level?: number;
  /** Per kind of conversation; the workflow's `agents.capacity` fills the rest. */
  capacity?: Partial<Record<CapacityKind, number>>;
  /** Offline when a new agent comes without one. */
  presence?: Presence;
}

export type TransferTarget =
  | { kind: 'agent'; agentId: string }
  | { kind: 'queue'; queue: string; priority?: number }
  /** Runs the workflow again, e.g. after a triage agent set the category. */
  | { kind: 'workflow'; attributes?: Partial<TicketAttributes> };

/** Everything that can happen to routing; time is never read, it comes with `apply(event, now)`. */
export type RoutingEvent =
  | { type: 'agent'; agent: AgentProfile }
  | { type: 'arrival'; ticketId: string; attributes: TicketAttributes }
  | { type: 'accept'; ticketId: string; agentId: string }
  | { type: 'reject'; ticketId: string; agentId: string; reason?: string }
  | { type: 'offerTimeout'; ticketId: string; agentId: string }
  | { type: 'presence'; agentId: string; presence: Presence }
  | { type: 'capacityChange'; agentId: string; capacity: Partial<Record<CapacityKind, number>> }
  /** The agent's first reply to the customer: stops the first-response SLA clock. */
  | { type: 'respond'; ticketId: string }
  | { type: 'resolve'; ticketId: string }
  | { type: 'reopen'; ticketId: string }
  | { type: 'transfer'; ticketId: string; to: TransferTarget }
  /**
   * The ticket waits for the customer (set pending): its SLA clocks stop, first response and
   * resolution alike, until `ticketResumed`. `at`: when it was set pending, if before the engine
   * hears of it (never later than now).
   */
  | { type: 'ticketPending'; ticketId: string; at?: number }
  /** The customer wrote again: the clocks run on, every due time later by the time paused. `at`: when the customer wrote. */
  | { type: 'ticketResumed'; ticketId: string; at?: number }
  /** Nothing happened but time passed: offer timeouts, step timeouts and SLA clocks run. */
  | { type: 'tick' }
  /** A ticket as stored, for an engine built afresh (a new lease holder, a new workflow): it keeps its place and its clocks. */
  | { type: 'restore'; ticketId: string; attributes: TicketAttributes; stored: StoredRouting };

/** A stretch of time the ticket waited for the customer, its SLA clocks stopped. */
export interface SlaPause {
  from: number;
  to: number;
}

export type SlaTimerKind = 'first-response-warning' | 'first-response-breach' | 'resolution-warning' | 'resolution-breach';

/**
 * What is stored about a ticket's routing, enough for an engine built afresh to carry on where the
 * last one stopped: SLA due times count from `createdAt` (or `reopenedAt`), so a takeover neither
 * postpones a breach nor repeats one already decided; an open offer expires when it was going to.
 */
export interface StoredRouting {
  /** When the ticket arrived: SLA clocks count from here. */
  createdAt: number;
  /** Its age in the queue counts from here. */
  queuedAt: number;
  /** Where it was (absent: place it as a new arrival). A queue the workflow no longer has sends it through the workflow again. */
  queue?: string;
  priority?: number;
  filter?: string;
  step?: number;
  /** When it entered its current step (its step timeout counts from here). */
  stepEnteredAt?: number;
  firstRespondedAt?: number;
  /** When it was last reopened: the resolution clock restarts here, with no first-response target. */
  reopenedAt?: number;
  /** SLA warnings and breaches already decided since the clocks started: not decided again. */
  slaFired?: readonly SlaTimerKind[];
  /** Set while it waits for the customer (pending): its SLA clocks stand still from here. */
  slaPausedAt?: number;
  /** Earlier waits for the customer: the due times move later by the time they took (pauses before the clocks started do not count). */
  slaPauses?: readonly SlaPause[];
  previousAgentId?: string;
  /** Who holds it: an accepted assignment, or an open offer until `offerExpiresAt`. */
  holder?: { agentId: string; state: 'offered' | 'assigned'; offerExpiresAt?: number };
}

/** How an offer came about: from the queue, back to the previous agent on reopen, or by a transfer to an agent. */
export type OfferVia = 'queue' | 'previous-agent' | 'transfer';
export type SlaTarget = 'first-response' | 'resolution';
export type RouteCause = 'arrival' | 'step-timeout' | 'escalation' | 'transfer' | 'workflow' | 'reopen';
export type WithdrawReason = 'rejected' | 'timed-out' | 'agent-away' | 'agent-offline' | 'transferred' | 'resolved' | 'escalated';

interface DecisionBase {
  /** When it was decided (ms since epoch); a timer's own due time when a timer caused it. */
  at: number;
  /** Why, in words: filter and step, candidates considered and passed over, the choice and the reason. */
  explanation: string[];
}

export type Decision = DecisionBase &
  (
    | { type: 'routed'; ticketId: string; queue: string; priority: number; filter: string; step: number; cause: RouteCause }
    | { type: 'offered'; ticketId: string; agentId: string; queue: string; via: OfferVia; expiresAt: number }
    | { type: 'assigned'; ticketId: string; agentId: string; queue: string; via: OfferVia; autoAccepted: boolean; waitedSeconds: number }
    | { type: 'offerWithdrawn'; ticketId: string; agentId: string; reason: WithdrawReason }
    | { type: 'unassigned'; ticketId: string; agentId: string; reason: WithdrawReason }
    | { type: 'waiting'; ticketId: string; queue: string; reason: string; position: number; expectedWaitSeconds?: number }
    | { type: 'priorityChanged'; ticketId: string; from: number; to: number }
    | { type: 'slaWarning'; ticketId: string; target: SlaTarget; policy: string; dueAt: number }
    | { type: 'slaBreached'; ticketId: string; target: SlaTarget; policy: string; dueAt: number }
    | { type: 'slaPaused'; ticketId: string; policy: string }
    /** `pausedMs`: the time this pause took on the policy's clock (open hours only when it counts business hours). */
    | { type: 'slaResumed'; ticketId: string; policy: string; pausedMs: number; firstResponseDueAt?: number; resolutionDueAt?: number }
    | { type: 'alert'; ticketId: string; audience: 'supervisors'; message: string }
    | { type: 'responded'; ticketId: string; agentId?: string }
    | { type: 'resolved'; ticketId: string; agentId?: string }
    | { type: 'reopened'; ticketId: string }
    | { type: 'presenceChanged'; agentId: string; presence: Presence }
    | { type: 'transferRefused'; ticketId: string; reason: string }
    | { type: 'ignored'; event: RoutingEvent['type']; reason: string }
  );

export type DecisionOf<T extends Decision['type']> = Extract<Decision, { type: T }>;

export type TicketStatus = 'waiting' | 'offered' | 'assigned' | 'resolved';

/** A ticket as routing sees it, read-only. */
export interface TicketView {
  readonly id: string;
  readonly attributes: TicketAttributes;
  readonly channel: Channel;
  readonly status: TicketStatus;
  readonly queue: string;
  readonly priority: number;
  readonly filter: string;
  readonly step: number;
  readonly steps: number;
  /** Worker expression of the current step, if any. */
  readonly worker?: string;
  /** With this agent (offered or assigned). */
  readonly agentId?: string;
  readonly previousAgentId?: string;
  /** Age in the queue counts from here; kept when the ticket returns to a queue. */
  readonly queuedAt: number;
  readonly createdAt: number;
  /** Why it is where it is (for a waiting ticket: why no agent has it). */
  readonly reason: string;
  readonly rejectedBy: ReadonlySet<string>;
  readonly escalations: readonly string[];
  readonly firstRespondedAt?: number;
  readonly slaPolicy?: string;
  readonly firstResponseDueAt?: number;
  readonly resolutionDueAt?: number;
  /** Waiting for the customer since then: no SLA warning or breach comes while it is set, and the due times above move later on resume. */
  readonly slaPausedAt?: number;
  /** Finished waits for the customer since the clocks started. */
  readonly slaPauses: readonly SlaPause[];
}

export interface AgentView {
  readonly id: string;
  readonly profile: AgentProfile;
  readonly presence: Presence;
  readonly capacity: Readonly<Record<CapacityKind, number>>;
  /** Offered plus assigned conversations per kind. */
  readonly load: Readonly<Record<CapacityKind, number>>;
  readonly offered: IdSet;
  readonly assigned: IdSet;
  readonly missedOffers: number;
}

export interface QueuePosition {
  ticketId: string;
  queue: string;
  /** 1 is next. */
  position: number;
  waiting: number;
  expectedWaitSeconds?: number;
  explanation: string;
}
