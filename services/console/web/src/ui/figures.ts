import { h } from './dom.js';

/**
 * Any JSON result (the simulator's figures) as nested definition lists, all text. Used where the
 * API's answer is a report for people to read rather than data the page acts on.
 */
export function figures(value: unknown, depth = 0): HTMLElement | string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value !== 'object') return String(value);
  if (depth > 4) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return h('ul', {}, value.slice(0, 50).map((v) => h('li', {}, figures(v, depth + 1))));
  }
  return h('dl', { class: 'figures' }, Object.entries(value as Record<string, unknown>).map(([k, v]) => [h('dt', {}, k), h('dd', {}, figures(v, depth + 1))]));
}
