import { Category, Channel, Language, UrgencyFlag } from '@switchboard/contracts';
import { TicketAttributes } from '../attributes';
import { AgentProfile } from '../engine/model';

/** One ticket of recorded or generated traffic: when it arrives and how the work on it goes. */
export interface SimTicket {
  id: string;
  /** Arrival, ms since epoch. */
  at: number;
  attributes: TicketAttributes;
  /** Time the agent needs from assignment to resolution. */
  handleSeconds: number;
  /** Time from assignment to the agent's first reply. */
  firstResponseSeconds: number;
  /** The customer writes again this long after resolution (absent: never). */
  reopenAfterSeconds?: number;
}

export interface Shift {
  start: number;
  end: number;
}

export interface SimAgent {
  profile: Omit<AgentProfile, 'presence'>;
  shifts: Shift[];
}

export interface Traffic {
  agents: SimAgent[];
  tickets: SimTicket[];
}

/** Deterministic pseudo-random numbers (mulberry32) so a seed gives the same day every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return choices[choices.length - 1][0];
}

/** Log-normal with the given median, spread as a multiplicative factor (≈ one standard deviation). */
function logNormal(random: () => number, median: number, spread: number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(Math.log(spread) * z);
}

/** Share of a day's tickets per hour (UTC+7 e-wallet users: quiet at night, peaks late morning and evening). */
const HOURLY = [0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 2.8, 4.0, 5.2, 5.8, 6.0, 5.6, 5.4, 5.6, 5.6, 5.4, 5.2, 5.6, 6.0, 5.8, 4.6, 2.8, 1.4];

export interface GenerateOptions {
  seed?: number;
  tickets?: number;
  /** Start of the day, ms since epoch (default 2026-11-24T00:00Z). */
  day?: number;
  /** Agents are sized so that on-shift capacity is about this many times the expected load (default 1.3). */
  staffing?: number;
}

const CATEGORY_MIX: [Category, number][] = [
  ['login', 25],
  ['transaction_failed', 30],
  ['account_security', 8],
  ['refund', 17],
  ['other', 20],
];
const LANGUAGE_MIX: [Language, number][] = [
  ['id', 55],
  ['en', 35],
  ['zh', 10],
];
const CHANNEL_MIX: [Channel, number][] = [
  ['inapp', 45],
  ['email', 20],
  ['sms', 15],
  ['social', 20],
];
const HANDLE_MEDIAN: Record<Category, number> = { login: 300, transaction_failed: 720, account_security: 900, refund: 600, other: 420 };
const SKILLS = ['account-access', 'payments', 'trust-and-safety', 'refunds'] as const;

/** A day of traffic for the default workflow: arrivals on a daily curve, a category/language/channel mix, agents in three shifts. */
export function generateDay(options: GenerateOptions = {}): Traffic {
  const random = seededRandom(options.seed ?? 1);
  const count = options.tickets ?? 10_000;
  const day = options.day ?? Date.UTC(2026, 10, 24);
  const hourTotal = HOURLY.reduce((a, b) => a + b, 0);
  const tickets: SimTicket[] = [];
  for (let i = 0; i < count; i++) {
    let r = random() * hourTotal;
    let hour = 0;
    while (hour < 23 && r >= HOURLY[hour]) r -= HOURLY[hour++];
    const at = day + Math.floor((hour + random()) * 3_600_000);
    const category = weighted(random, CATEGORY_MIX);
    const urgency: UrgencyFlag[] = [];
    if (category === 'account_security') {
      if (random() < 0.35) urgency.push('takeover_in_progress');
      if (random() < 0.1) urgency.push('stolen_device');
    }
    if ((category === 'transaction_failed' || category === 'account_security') && random() < 0.15) urgency.push('money_lost');
    const confidence = random() < 0.08 ? 0.3 + random() * 0.29 : 0.6 + random() * 0.4;
    const attributes: TicketAttributes = {
      category,
      confidence: Math.round(confidence * 1000) / 1000,
      language: weighted(random, LANGUAGE_MIX),
      channel: weighted(random, CHANNEL_MIX),
      urgency,
      ...(random() < 0.05 ? { customerTier: 'gold' } : {}),
      ...(category === 'transaction_failed' || category === 'refund' ? { entities: { amount: random() < 0.7, transaction_id: random() < 0.5 } } : {}),
    };
    const handleSeconds = Math.round(Math.min(Math.max(logNormal(random, HANDLE_MEDIAN[category], 1.8), 60), 4 * 3600));
    tickets.push({
      id: '',
      at,
      attributes,
      handleSeconds,
      firstResponseSeconds: Math.round(Math.min(20 + random() * 100, handleSeconds)),
      ...(random() < 0.03 ? { reopenAfterSeconds: Math.round(600 + random() * 12 * 3600) } : {}),
    });
  }
  tickets.sort((a, b) => a.at - b.at);
  tickets.forEach((t, i) => (t.id = `T${String(i + 1).padStart(6, '0')}`));

  // Staff each 8-hour shift for its share of the day's work: handle time over ~5 conversations held at once.
  const staffing = options.staffing ?? 1.3;
  const meanHandle = tickets.reduce((s, t) => s + t.handleSeconds, 0) / Math.max(1, count);
  const agents: SimAgent[] = [];
  const shifts = [0, 8, 16];
  for (const startHour of shifts) {
    const share = HOURLY.slice(startHour, startHour + 8).reduce((a, b) => Math.max(a, b), 0) / hourTotal;
    const peakPerSecond = (count * share) / 3600;
    const needed = Math.max(4, Math.ceil(((peakPerSecond * meanHandle) / 5) * staffing));
    for (let i = 0; i < needed; i++) {
      const n = agents.length + 1;
      const skills = [SKILLS[n % SKILLS.length], ...(random() < 0.4 ? [SKILLS[(n + 1) % SKILLS.length]] : [])];
      const languages: Language[] = random() < 0.85 ? ['id', 'en'] : random() < 0.5 ? ['en', 'zh'] : ['id', 'en', 'zh'];
      // Staggered starts within ±15 minutes (the first shift starts at midnight or just after).
      const jitter = startHour === 0 ? random() * 900_000 : (random() - 0.5) * 1_800_000;
      const start = day + startHour * 3_600_000 + Math.floor(jitter);
      agents.push({
        profile: { id: `A${String(n).padStart(4, '0')}`, skills, languages, teams: [skills[0]], level: 1 + Math.floor(random() * 3) },
        shifts: [{ start, end: start + 8 * 3_600_000 }],
      });
    }
  }
  return { agents, tickets };
}

type Line = { kind: 'agent'; id: string; skills?: string[]; languages?: string[]; teams?: string[]; level?: number; capacity?: AgentProfile['capacity']; shifts: { start: string; end: string }[] } | ({ kind: 'ticket'; at: string } & Omit<SimTicket, 'at'>);

/** One JSON object a line: agents (with shifts) and tickets, times as ISO strings. */
export function trafficToJsonl(traffic: Traffic): string {
  const lines: string[] = [];
  for (const a of traffic.agents) {
    const line: Line = { kind: 'agent', ...(a.profile as Omit<AgentProfile, 'presence'> & { skills?: string[]; languages?: string[]; teams?: string[] }), shifts: a.shifts.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })) };
    lines.push(JSON.stringify(line));
  }
  for (const t of traffic.tickets) lines.push(JSON.stringify({ kind: 'ticket', ...t, at: new Date(t.at).toISOString() }));
  return lines.join('\n') + '\n';
}

export class TrafficFormatError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid traffic:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
    this.name = 'TrafficFormatError';
  }
}

function time(value: unknown, where: string, problems: string[]): number {
  const t = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(t)) problems.push(`${where}: not a time: ${JSON.stringify(value)}`);
  return t;
}

/** Reads the JSONL written by trafficToJsonl (times as ISO strings or ms numbers); every bad line is reported. */
export function parseTrafficJsonl(text: string): Traffic {
  const agents: SimAgent[] = [];
  const tickets: SimTicket[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.trim();
    if (!lineText || lineText.startsWith('#')) return;
    const where = `line ${i + 1}`;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(lineText) as Record<string, unknown>;
    } catch {
      problems.push(`${where}: not JSON`);
      return;
    }
    if (line.kind === 'agent') {
      const { shifts, ...profile } = line as Record<string, unknown> & { shifts?: { start: unknown; end: unknown }[] };
      delete profile.kind;
      if (typeof profile.id !== 'string') problems.push(`${where}: agent without an id`);
      if (!Array.isArray(shifts)) problems.push(`${where}: agent without shifts`);
      agents.push({
        profile: profile as unknown as SimAgent['profile'],
        shifts: (shifts ?? []).map((s, j) => ({ start: time(s.start, `${where}.shifts[${j}].start`, problems), end: time(s.end, `${where}.shifts[${j}].end`, problems) })),
      });
    } else if (line.kind === 'ticket') {
      const t = { ...line } as unknown as SimTicket & { at: unknown; kind?: string };
      delete t.kind;
      if (typeof t.id !== 'string') problems.push(`${where}: ticket without an id`);
      if (!t.attributes || typeof t.attributes !== 'object') problems.push(`${where}: ticket without attributes`);
      if (typeof t.handleSeconds !== 'number') problems.push(`${where}: ticket without handleSeconds`);
      tickets.push({ ...t, at: time(t.at, `${where}.at`, problems), firstResponseSeconds: t.firstResponseSeconds ?? 60 });
    } else problems.push(`${where}: kind must be 'agent' or 'ticket'`);
  });
  if (problems.length) throw new TrafficFormatError(problems);
  tickets.sort((a, b) => a.at - b.at);
  return { agents, tickets };
}
