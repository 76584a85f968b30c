import { Category, Channel, Language, UrgencyFlag } from '@switchboard/contracts';
import { SimAgent, SimTicket, Traffic } from '@switchboard/routing';

export interface RecentTicket {
  _id: string;
  category: Category;
  confidence: number;
  triage: boolean;
  language: Language;
  channel: Channel;
  urgency?: UrgencyFlag[];
  openedAt: Date;
}

export interface KnownAgent {
  _id: string;
  profile: { skills?: string[]; languages?: string[]; teams?: string[]; level?: number; capacity?: SimAgent['profile']['capacity'] };
}

/**
 * Recorded traffic does not say how long agents took, so every ticket gets the same assumed
 * handling (HANDLE_SECONDS, first reply after FIRST_RESPONSE_SECONDS): the simulation compares
 * workflows on the same arrivals and agents, it does not forecast the day.
 */
export const HANDLE_SECONDS = 600;
export const FIRST_RESPONSE_SECONDS = 60;

/** The recent tickets as arrivals and the known agents on shift for the whole span. */
export function recentTraffic(tickets: RecentTicket[], agents: KnownAgent[]): Traffic {
  const arrivals: SimTicket[] = tickets
    .map((t) => ({
      id: t._id,
      at: new Date(t.openedAt).getTime(),
      attributes: { category: t.category, confidence: t.confidence, language: t.language, channel: t.channel, urgency: t.urgency ?? [], triage: t.triage },
      handleSeconds: HANDLE_SECONDS,
      firstResponseSeconds: FIRST_RESPONSE_SECONDS,
    }))
    .sort((a, b) => a.at - b.at);
  const start = arrivals[0]?.at ?? 0;
  const end = (arrivals[arrivals.length - 1]?.at ?? 0) + 4 * HANDLE_SECONDS * 1000;
  return {
    tickets: arrivals,
    agents: agents.map((a) => ({
      profile: { id: a._id, skills: a.profile.skills ?? [], languages: a.profile.languages ?? [], teams: a.profile.teams ?? [], level: a.profile.level ?? 0, ...(a.profile.capacity ? { capacity: a.profile.capacity } : {}) },
      shifts: [{ start: start - 60_000, end }],
    })),
  };
}
