import { Sla } from './api-types.js';
import { formatDuration, secondsUntil } from './durations.js';

export type SlaState = 'none' | 'ok' | 'at_risk' | 'breached';

export interface SlaReading {
  state: SlaState;
  /** "12m 30s left" or "4m 10s over", empty when there is no clock. */
  text: string;
}

/**
 * Where a ticket's SLA clock stands at `now`. The API's flags win (it knows about paused clocks);
 * otherwise the due and warning times decide, so the clock keeps moving between refreshes.
 */
export function readSla(sla: Sla | undefined, now: number): SlaReading {
  if (!sla || !sla.dueAt) return sla?.breached ? { state: 'breached', text: 'breached' } : { state: 'none', text: '' };
  const left = secondsUntil(sla.dueAt, now);
  if (Number.isNaN(left)) return { state: 'none', text: '' };
  if (left <= 0 || sla.breached) return { state: 'breached', text: `${formatDuration(-left)} over` };
  const warnIn = secondsUntil(sla.warnAt, now);
  const atRisk = sla.atRisk || (!Number.isNaN(warnIn) && warnIn <= 0);
  return { state: atRisk ? 'at_risk' : 'ok', text: `${formatDuration(left)} left` };
}
