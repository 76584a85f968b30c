import { Sla } from './api-types.js';
import { formatDuration, secondsUntil } from './durations.js';

export type SlaState = 'none' | 'ok' | 'at_risk' | 'breached' | 'paused';

export interface SlaReading {
  state: SlaState;
  /** "12m 30s left" or "4m 10s over", empty when there is no clock. */
  text: string;
}

const TARGET_LABELS: Record<string, string> = { 'first-response': 'first reply', resolution: 'resolution' };

/**
 * Where a ticket's SLA clock stands at `now`. The due time moves it (so it keeps counting
 * between refreshes and turns breached on time); the API's state says when it is at risk.
 */
export function readSla(sla: Sla | undefined, now: number): SlaReading {
  if (sla?.state === 'paused') {
    // Waiting for the customer: the time left stands still until they write.
    const left = sla.secondsLeft;
    if (!sla.target || left === undefined) return { state: 'paused', text: 'paused, waiting for the customer' };
    const stands = left > 0 ? `${formatDuration(left)} left` : `${formatDuration(-left)} over`;
    return { state: 'paused', text: `paused, waiting for the customer (${TARGET_LABELS[sla.target] ?? sla.target} ${stands})` };
  }
  if (!sla || !sla.dueAt || sla.state === 'none') return sla?.state === 'breached' ? { state: 'breached', text: 'breached' } : { state: 'none', text: '' };
  const left = secondsUntil(sla.dueAt, now);
  if (Number.isNaN(left)) return { state: 'none', text: '' };
  const what = sla.target ? `${TARGET_LABELS[sla.target] ?? sla.target} ` : '';
  if (left <= 0) return { state: 'breached', text: `${what}${formatDuration(-left)} over` };
  return { state: sla.state === 'at_risk' || sla.state === 'breached' ? 'at_risk' : 'ok', text: `${what}${formatDuration(left)} left` };
}
