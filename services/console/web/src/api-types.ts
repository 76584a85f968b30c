/**
 * The console API's JSON as the browser sees it (services/console documents it at /api/docs).
 * The web app has no bundler, so it cannot import the zod contracts; these mirror them, and
 * fields the API may leave out are optional so an older API degrades to blanks, not to crashes.
 */
export type Role = 'agent' | 'supervisor' | 'admin';
export type Presence = 'available' | 'away' | 'offline';
export type Channel = 'email' | 'sms' | 'social' | 'inapp';
export type Category = 'login' | 'transaction_failed' | 'account_security' | 'refund' | 'other';
export type Language = 'en' | 'id' | 'zh' | 'und';
export type TicketStatus = 'open' | 'assigned' | 'pending' | 'resolved';

export const CATEGORIES: readonly Category[] = ['login', 'transaction_failed', 'account_security', 'refund', 'other'];
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'social', 'inapp'];
export const PRESENCES: readonly Presence[] = ['available', 'away', 'offline'];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  agentId?: string;
  queues: string[];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Contact {
  channel: Channel;
  address: string;
  provider?: string;
  displayName?: string;
}

/** A ticket's SLA clock as the API computed it when it answered; the page keeps it running. */
export interface Sla {
  policy?: string;
  /** The clock running now: first response while nobody holds the ticket, then resolution. */
  target?: 'first-response' | 'resolution';
  /** Absent while paused. */
  dueAt?: string;
  /** While paused: what was left when the wait for the customer began. */
  secondsLeft?: number;
  /** Waiting for the customer since then: the clock stands still. */
  pausedAt?: string;
  state?: 'ok' | 'at_risk' | 'breached' | 'paused' | 'none';
}

export interface TicketSummary {
  id: string;
  number: number;
  status: TicketStatus;
  category: Category;
  confidence?: number;
  triage?: boolean;
  queue: string;
  priority?: number;
  language?: Language;
  channel: Channel;
  contact: Contact;
  contactKey?: string;
  assigneeId?: string | null;
  /** An open offer or an accepted one; `offerExpiresAt` while offered. */
  assignment?: { agentId: string; state: 'offered' | 'assigned'; offerExpiresAt?: string | null } | null;
  queuePosition?: number | null;
  expectedWaitSeconds?: number | null;
  openedAt: string;
  lastMessageAt?: string;
  /** The latest customer text, shortened (customer-supplied: always rendered as text). */
  preview?: string;
  subject?: string;
  sla?: Sla;
}

export interface Message {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'agent' | 'system';
  channel: Channel;
  text: string;
  at: string;
  subject?: string;
  agentId?: string;
  kind?: string;
  status?: string;
}

export interface Note {
  id?: string;
  text: string;
  agentId?: string;
  author?: string;
  at: string;
}

export interface Amount {
  value: number;
  currency: string;
  text: string;
}

export interface Entities {
  amounts?: Amount[];
  transactionIds?: string[];
  incidentTime?: string;
  incidentTimeText?: string;
  merchants?: string[];
  maskedDigits?: string[];
}

export interface ClassificationView {
  category: Category;
  confidence: number;
  scores?: Partial<Record<Category, number>>;
  explanation?: string[];
  entities?: Entities;
  language?: Language;
}

export interface NotificationView {
  kind: string;
  status: string;
  channel: Channel;
  errorCode?: string | null;
  at?: string;
}

export interface TicketDetail {
  ticket: TicketSummary;
  messages: Message[];
  notes?: Note[];
  classification?: ClassificationView;
  notifications?: NotificationView[];
  sla?: Sla;
}

export interface RoutingEntry {
  seq?: number;
  at?: string;
  type?: string;
  agentId?: string | null;
  queue?: string | null;
  reason?: string | null;
  explanation?: string[];
}

/** GET /api/tickets/:id/routing: the queue decision (`route`) and each routing step after it. */
export interface RoutingLog {
  ticketId: string;
  number: number;
  queue: string;
  reason?: string | null;
  route?: { filter?: string | null; step?: number | null; explanation?: string[] };
  entries: RoutingEntry[];
}

export interface AgentView {
  id: string;
  displayName?: string | null;
  presence?: Presence;
  load?: Partial<Record<string, number>>;
  capacity?: Partial<Record<string, number>>;
  skills?: string[];
  languages?: string[];
  teams?: string[];
  level?: number;
  /** Offers open to the agent now. */
  offers?: number;
}

export interface QueueStats {
  queue: string;
  name?: string;
  waiting: number;
  longestWaitSeconds: number;
  expectedWaitSeconds?: number | null;
  assigned?: number;
  slaAtRisk: number;
  slaBreached: number;
}

export interface AuditEntry {
  id?: string;
  at: string;
  actor: { id?: string; email?: string; role?: string } | string;
  action: string;
  outcome?: string;
  target?: string | null;
  details?: unknown;
}

/** Where a ticket is after one of its events; no customer text travels on the socket. */
export interface LiveTicketEvent {
  eventId?: string;
  type: string;
  ticketId: string;
  number?: number;
  status?: TicketStatus;
  queue?: string;
  category?: Category;
  channel?: Channel;
  language?: Language;
  assigneeId?: string | null;
  routing?: { agentId?: string | null; queuePosition?: number | null; expectedWaitSeconds?: number | null; reason?: string | null } | null;
  occurredAt?: string;
}

/** Server → browser frames on /api/live. */
export type LiveFrame =
  | { type: 'ticket'; event: LiveTicketEvent }
  | { type: 'offer'; ticketId: string; expiresAt: string | null; number?: number; queue?: string; category?: Category; channel?: Channel }
  | { type: 'queue_stats'; queues: QueueStats[] }
  | { type: 'presence'; agentId: string; presence: Presence };
