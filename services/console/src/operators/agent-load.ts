import { AgentPresence, AgentProfileInput, Channel } from '@switchboard/contracts';
import { CAPACITY_KINDS, CapacityKind, capacityKindOf, Workflow } from '@switchboard/routing';

export interface AgentRecord {
  _id: string;
  profile: Omit<AgentProfileInput, 'presence'>;
  presence: AgentPresence;
  updatedAt?: Date;
}

export interface HeldTicket {
  channel: Channel;
  assigneeId?: string;
  assignment?: { agentId: string; state: 'offered' | 'assigned' } | null;
}

export interface AgentRow {
  id: string;
  displayName: string | null;
  presence: AgentPresence;
  skills: string[];
  languages: string[];
  teams: string[];
  level: number;
  /** Conversations held per kind (an open offer takes a slot too, as routing counts it). */
  load: Record<CapacityKind, number>;
  capacity: Record<CapacityKind, number>;
  offers: number;
}

export interface PresenceSetInConsole {
  agentId?: string;
  presence?: AgentPresence;
  presenceAt?: Date;
}

/**
 * The router stores a presence only when routing itself changes it (missed offers) or with a
 * profile; what an agent set lives in its engine. So the console remembers what each agent set
 * through it, and the later of the two wins.
 */
export function withConsolePresence<A extends AgentRecord>(agents: A[], users: PresenceSetInConsole[]): A[] {
  const set = new Map(users.filter((u) => u.agentId && u.presence && u.presenceAt).map((u) => [u.agentId as string, u]));
  return agents.map((a) => {
    const mine = set.get(a._id);
    const storedAt = a.updatedAt ? new Date(a.updatedAt).getTime() : 0;
    return mine && new Date(mine.presenceAt as Date).getTime() > storedAt ? { ...a, presence: mine.presence as AgentPresence } : a;
  });
}

/** Agents with their load per kind of conversation against their capacity (the workflow's default where their profile has none). */
export function agentRows(agents: AgentRecord[], unresolved: HeldTicket[], workflow: Workflow): AgentRow[] {
  const zero = () => Object.fromEntries(CAPACITY_KINDS.map((k) => [k, 0])) as Record<CapacityKind, number>;
  const loads = new Map<string, { load: Record<CapacityKind, number>; offers: number }>();
  for (const t of unresolved) {
    const holder = t.assignment?.agentId ?? t.assigneeId;
    if (!holder) continue;
    const entry = loads.get(holder) ?? { load: zero(), offers: 0 };
    entry.load[capacityKindOf(t.channel)]++;
    if (t.assignment?.state === 'offered') entry.offers++;
    loads.set(holder, entry);
  }
  return agents.map((a) => ({
    id: a._id,
    displayName: a.profile.displayName ?? null,
    presence: a.presence,
    skills: a.profile.skills ?? [],
    languages: a.profile.languages ?? [],
    teams: a.profile.teams ?? [],
    level: a.profile.level ?? 0,
    load: loads.get(a._id)?.load ?? zero(),
    capacity: { ...workflow.capacity, ...(a.profile.capacity ?? {}) } as Record<CapacityKind, number>,
    offers: loads.get(a._id)?.offers ?? 0,
  }));
}
