import { AuditEntry, Page } from '../api-types.js';
import { describeError } from './api.js';
import { View } from './context.js';
import { h, notice, show } from './dom.js';
import { figures } from './figures.js';

/** Who did what and when: assignments, transfers, recategorisations, configuration changes. */
export const auditView: View = (ctx, root) => {
  const actor = h('input', { name: 'actor', 'aria-label': 'actor', placeholder: 'actor' });
  const action = h('input', { name: 'action', 'aria-label': 'action', placeholder: 'action (e.g. ticket.transfer)' });
  const from = h('input', { name: 'from', 'aria-label': 'from', type: 'datetime-local' });
  const to = h('input', { name: 'to', 'aria-label': 'to', type: 'datetime-local' });
  const results = h('div', {});
  const run = async () => {
    const params = new URLSearchParams({ pageSize: '100' });
    if (actor.value.trim()) params.set('actor', actor.value.trim());
    if (action.value.trim()) params.set('action', action.value.trim());
    if (from.value) params.set('from', new Date(from.value).toISOString());
    if (to.value) params.set('to', new Date(to.value).toISOString());
    try {
      const page = await ctx.api.get<Page<AuditEntry>>(`/audit?${params}`);
      show(
        results,
        page.items.length === 0
          ? h('p', { class: 'empty' }, 'No entries.')
          : h(
              'table',
              { class: 'audit' },
              h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'Action'), h('th', {}, 'Outcome'), h('th', {}, 'Target'), h('th', {}, 'Details'))),
              h(
                'tbody',
                {},
                page.items.map((e) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, new Date(e.at).toLocaleString()),
                    h('td', {}, typeof e.actor === 'string' ? e.actor : e.actor.email ?? e.actor.id ?? '', typeof e.actor === 'object' && e.actor.role ? h('small', { class: 'muted' }, ` ${e.actor.role}`) : null),
                    h('td', {}, e.action),
                    h('td', { class: e.outcome === 'refused' ? 'breached' : '' }, e.outcome ?? ''),
                    h('td', {}, e.target ?? ''),
                    h('td', {}, e.details === undefined || e.details === null || (typeof e.details === 'object' && Object.keys(e.details).length === 0) ? '' : h('details', {}, h('summary', {}, 'show'), figures(e.details))),
                  ),
                ),
              ),
            ),
      );
    } catch (err) {
      show(results, notice(describeError(err), 'error'));
    }
  };
  show(root, h('h2', {}, 'Audit log'), h('form', { class: 'search', onsubmit: (e: Event) => (e.preventDefault(), void run()) }, actor, action, from, to, h('button', { type: 'submit' }, 'Filter')), results);
  void run();
};
