import { CATEGORIES, CHANNELS, Page, RoutingLog, TicketSummary } from '../api-types.js';
import { describeError } from './api.js';
import { Ctx, View } from './context.js';
import { h, notice, show } from './dom.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS } from './labels.js';
import { routingEntries } from './ticket-view.js';
import { ticketTable } from './ticket-table.js';

const STATUSES = Object.keys(STATUS_LABELS);

function select(name: string, options: readonly string[], labels: Record<string, string>, value: string | null): HTMLSelectElement {
  const el = h('select', { name, 'aria-label': name }, h('option', { value: '' }, `any ${name}`), options.map((o) => h('option', { value: o }, labels[o] ?? o)));
  el.value = value ?? '';
  return el;
}

/**
 * Ticket search by number or customer address and by category, status, queue, channel, language
 * and assignee; supervisors open each ticket's routing decisions from the results.
 */
export function ticketSearch(ctx: Ctx, query: URLSearchParams, options: { routing?: boolean; onSearch?: (q: URLSearchParams) => void } = {}): HTMLElement {
  const q = h('input', { name: 'q', type: 'search', placeholder: 'Ticket number or customer address', 'aria-label': 'search', value: query.get('q') ?? '' });
  const fields = [
    select('status', STATUSES, STATUS_LABELS, query.get('status')),
    select('category', CATEGORIES, CATEGORY_LABELS, query.get('category')),
    select('channel', CHANNELS, CHANNEL_LABELS, query.get('channel')),
    select('language', ['en', 'id', 'zh', 'und'], LANGUAGE_LABELS, query.get('language')),
  ];
  const queue = h('input', { name: 'queue', placeholder: 'queue', 'aria-label': 'queue', size: 12, value: query.get('queue') ?? '' });
  const assignee = h('input', { name: 'assignee', placeholder: 'assignee (me or id)', 'aria-label': 'assignee', size: 14, value: query.get('assignee') ?? '' });
  const results = h('div', { class: 'results' });
  let latest = 0;
  const run = async () => {
    // Only the newest search may paint: an earlier, slower answer must not replace it.
    const mine = ++latest;
    const params = new URLSearchParams();
    for (const input of [q, queue, assignee, ...fields]) if (input.value.trim()) params.set(input.name, input.value.trim());
    options.onSearch?.(params);
    params.set('pageSize', '50');
    try {
      const page = await ctx.api.get<Page<TicketSummary>>(`/tickets?${params}`);
      if (mine !== latest) return;
      show(
        results,
        h('p', { class: 'muted' }, `${page.total} ticket${page.total === 1 ? '' : 's'}${page.total > page.items.length ? `, showing ${page.items.length}` : ''}`),
        ticketTable(page.items, { empty: 'No ticket matches.', extra: options.routing ? (t) => routingButton(ctx, t) : undefined }),
      );
    } catch (err) {
      if (mine === latest) show(results, notice(describeError(err), 'error'));
    }
  };
  const form = h('form', { class: 'search', role: 'search', onsubmit: (e: Event) => (e.preventDefault(), void run()) }, q, fields, queue, assignee, h('button', { type: 'submit' }, 'Search'));
  void run();
  return h('div', {}, form, results);
}

function routingButton(ctx: Ctx, t: TicketSummary): HTMLElement {
  const box = h('div', { class: 'routing-inline' });
  const button = h('button', { type: 'button', class: 'link' }, 'Why here?');
  button.addEventListener('click', async () => {
    if (box.childElementCount) return show(box);
    try {
      show(box, routingEntries(await ctx.api.get<RoutingLog>(`/tickets/${encodeURIComponent(t.id)}/routing`)));
    } catch (err) {
      show(box, notice(describeError(err), 'error'));
    }
  });
  return h('div', {}, button, box);
}

export const ticketsView: View = (ctx, root, { query }) => {
  show(
    root,
    h('h2', {}, 'Tickets'),
    ticketSearch(ctx, query, {
      routing: ctx.user.role !== 'agent',
      onSearch: (params) => history.replaceState(null, '', `#/tickets${params.toString() ? `?${params}` : ''}`),
    }),
  );
};
