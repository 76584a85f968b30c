import { Category, Channel, Language } from '@switchboard/contracts';

export interface StatsTicket {
  category: Category;
  channel: Channel;
  language: Language;
  triage: boolean;
  status: string;
  openedAt: Date;
  updatedAt: Date;
}

export interface StatsMessage {
  receivedAt: Date;
  classification: { confidence: number };
}

export interface VolumeStats {
  window: 'hour' | 'day';
  from: string;
  to: string;
  opened: number;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  byLanguage: Record<string, number>;
  /** Mean classifier confidence over the customer messages of the window; null without any. */
  meanConfidence: number | null;
  /** Share of the window's new tickets sent to triage; null without any. */
  triageRate: number | null;
  resolved: number;
  resolvedPerHour: number;
  /** Tickets opened per hour slot (oldest first): 12 five-minute slots for an hour, 24 hourly ones for a day. */
  series: { from: string; opened: number; resolved: number }[];
}

const WINDOW_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const SLOTS = { hour: 12, day: 24 } as const;

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Volume, confidence, triage rate and throughput of the last hour or day. A resolved ticket counts at its last update. */
export function volumeStats(window: 'hour' | 'day', tickets: StatsTicket[], messages: StatsMessage[], now: Date): VolumeStats {
  const to = now.getTime();
  const from = to - WINDOW_MS[window];
  const slotMs = WINDOW_MS[window] / SLOTS[window];
  const series = Array.from({ length: SLOTS[window] }, (_, i) => ({ from: new Date(from + i * slotMs).toISOString(), opened: 0, resolved: 0 }));
  const slot = (at: number) => series[Math.min(series.length - 1, Math.floor((at - from) / slotMs))];
  const byChannel: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const byLanguage: Record<string, number> = {};
  let opened = 0;
  let triaged = 0;
  let resolved = 0;
  for (const t of tickets) {
    const openedAt = t.openedAt.getTime();
    if (openedAt >= from && openedAt <= to) {
      opened++;
      if (t.triage) triaged++;
      count(byChannel, t.channel);
      count(byCategory, t.category);
      count(byLanguage, t.language);
      slot(openedAt).opened++;
    }
    const updatedAt = t.updatedAt.getTime();
    if (t.status === 'resolved' && updatedAt >= from && updatedAt <= to) {
      resolved++;
      slot(updatedAt).resolved++;
    }
  }
  const inWindow = messages.filter((m) => m.receivedAt.getTime() >= from && m.receivedAt.getTime() <= to);
  const meanConfidence = inWindow.length ? round(inWindow.reduce((s, m) => s + m.classification.confidence, 0) / inWindow.length) : null;
  return {
    window,
    from: new Date(from).toISOString(),
    to: now.toISOString(),
    opened,
    byChannel,
    byCategory,
    byLanguage,
    meanConfidence,
    triageRate: opened ? round(triaged / opened) : null,
    resolved,
    resolvedPerHour: round(resolved / (WINDOW_MS[window] / 3_600_000), 2),
    series,
  };
}
