import { Sla } from '../api-types.js';
import { formatDuration, secondsUntil } from '../durations.js';
import { readSla } from '../sla-clock.js';
import { h } from './dom.js';

type Render = (now: number) => { text: string; state?: string };
const clocks = new Map<HTMLElement, Render>();

/** One timer for every clock on the page; clocks that left the page are dropped on the next tick. */
setInterval(() => {
  const now = Date.now();
  for (const [el, render] of clocks) {
    if (!el.isConnected) clocks.delete(el);
    else paint(el, render(now));
  }
}, 1000);

function paint(el: HTMLElement, reading: { text: string; state?: string }): void {
  if (el.textContent !== reading.text) el.textContent = reading.text;
  if (reading.state !== undefined && el.dataset.state !== reading.state) el.dataset.state = reading.state;
}

/** A span that re-renders itself every second while it is on the page. */
export function clock(render: Render, className = 'clock'): HTMLElement {
  const el = h('span', { class: className });
  paint(el, render(Date.now()));
  clocks.set(el, render);
  return el;
}

export function slaClock(sla: Sla | undefined): HTMLElement {
  return clock((now) => readSla(sla, now), 'sla');
}

/** Seconds left on an offer: "17s", then "expired". */
export function countdown(expiresAt: string): HTMLElement {
  return clock((now) => {
    const left = secondsUntil(expiresAt, now);
    return left > 0 ? { text: `${formatDuration(left)} left`, state: left <= 5 ? 'at_risk' : 'ok' } : { text: 'expired', state: 'breached' };
  }, 'countdown');
}

/** Time since `iso`, kept current. */
export function age(iso: string | undefined): HTMLElement {
  return clock((now) => ({ text: iso ? formatDuration(-secondsUntil(iso, now)) : '' }), 'age');
}
