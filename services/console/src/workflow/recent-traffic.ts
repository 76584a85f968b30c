import { Category, Channel, Language, UrgencyFlag } from '@switchboard/contracts';
import { SimAgent, SimTicket, Traffic } from '@switchboard/routing';
import { FIRST_RESPONSE_SECONDS, HANDLE_SECONDS, Handling } from './observed-handling';

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
 * The recent tickets as arrivals, each with its handling (see observed-handling: as recorded where
 * it was, else a median of what was), and the known agents on shift for the whole span: the
 * simulation compares workflows on the same arrivals and agents, it does not forecast the day.
 */
export function recentTraffic(tickets: RecentTicket[], agents: KnownAgent[], handling: ReadonlyMap<string, Handling>): Traffic {
  const assumed: Handling = { handleSeconds: HANDLE_SECONDS, firstResponseSeconds: FIRST_RESPONSE_SECONDS };
  const arrivals: SimTicket[] = tickets
    .map((t) => ({
      id: t._id,
      at: new Date(t.openedAt).getTime(),
      attributes: { category: t.category, confidence: t.confidence, language: t.language, channel: t.channel, urgency: t.urgency ?? [], triage: t.triage },
      ...(handling.get(t._id) ?? assumed),
    }))
    .sort((a, b) => a.at - b.at);
  const start = arrivals[0]?.at ?? 0;
  // Long enough after the last arrival for the longest handling to end, four times over.
  const longest = Math.max(HANDLE_SECONDS, ...arrivals.map((a) => a.handleSeconds));
  const end = (arrivals[arrivals.length - 1]?.at ?? 0) + 4 * longest * 1000;
  return {
    tickets: arrivals,
    agents: agents.map((a) => ({
      profile: { id: a._id, skills: a.profile.skills ?? [], languages: a.profile.languages ?? [], teams: a.profile.teams ?? [], level: a.profile.level ?? 0, ...(a.profile.capacity ? { capacity: a.profile.capacity } : {}) },
      shifts: [{ start: start - 60_000, end }],
    })),
  };
}
