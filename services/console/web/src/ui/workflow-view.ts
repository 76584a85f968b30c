import { ApiError, describeError, detailText } from './api.js';
import { View } from './context.js';
import { h, notice, show } from './dom.js';
import { figures } from './figures.js';
import { compareReports } from '../simulation-diff.js';

interface Simulation {
  traffic?: { tickets?: number; agents?: number; since?: string };
  assumptions?: string;
  current?: unknown;
  proposed?: unknown;
}

const fmt = (n: number | undefined) => (n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(2));

function simulationTable(result: Simulation): HTMLElement {
  const rows = compareReports(result.current, result.proposed);
  return h(
    'div',
    {},
    result.traffic ? h('p', {}, `Replayed ${result.traffic.tickets ?? 0} tickets with ${result.traffic.agents ?? 0} agents${result.traffic.since ? ` since ${new Date(result.traffic.since).toLocaleString()}` : ''}.`) : null,
    result.assumptions ? h('p', { class: 'muted' }, `Assumes ${result.assumptions}.`) : null,
    rows.length
      ? h(
          'table',
          { class: 'simulation' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Figure'), h('th', {}, 'Current'), h('th', {}, 'Proposed'), h('th', {}, 'Change'))),
          h('tbody', {}, rows.map((r) => h('tr', { class: r.change ? 'changed' : '' }, h('td', {}, r.figure), h('td', { class: 'num' }, fmt(r.current)), h('td', { class: 'num' }, fmt(r.proposed)), h('td', { class: 'num' }, r.change ? `${r.change > 0 ? '+' : ''}${fmt(r.change)}` : '')))),
        )
      : figures(result),
  );
}

/**
 * The routing workflow (YAML): try a change against recent tickets with the simulator, then save;
 * the API validates before it publishes the workflow.set command, and lists what is wrong.
 */
export const workflowView: View = (ctx, root) => {
  const canSave = ctx.user.role === 'admin';
  const hours = h('select', { 'aria-label': 'traffic window' }, [1, 6, 24, 72, 168].map((n) => h('option', { value: String(n) }, n === 1 ? 'last hour' : `last ${n} hours`)));
  hours.value = '24';
  const source = h('textarea', { class: 'code', name: 'workflow', 'aria-label': 'workflow source', rows: 28, spellcheck: 'false' });
  const result = h('section', { class: 'panel', 'aria-label': 'result' });
  let saved = '';

  const problems = (err: unknown) => {
    const details = err instanceof ApiError ? err.details : [];
    show(
      result,
      notice(err instanceof ApiError && err.status === 422 ? 'The workflow is not valid:' : describeError(err), 'error'),
      details.length ? h('ul', { class: 'errors' }, details.map((d) => h('li', {}, detailText(d)))) : null,
    );
  };

  const simulate = async () => {
    show(result, h('p', { class: 'muted' }, 'Simulating against recent tickets…'));
    try {
      show(result, h('h3', {}, 'Simulation'), simulationTable(await ctx.api.post<Simulation>('/workflow/simulate', { source: source.value, hours: Number(hours.value) })));
    } catch (err) {
      problems(err);
    }
  };

  const save = async () => {
    if (source.value === saved) return show(result, notice('No changes to save.'));
    try {
      await ctx.api.put('/workflow', { source: source.value });
      saved = source.value;
      show(result, notice('Valid and saved; the routers switch to it in a moment.', 'ok'));
    } catch (err) {
      problems(err);
    }
  };

  show(
    root,
    h('h2', {}, 'Routing workflow'),
    h('p', { class: 'muted' }, 'Queues, filters, targets and SLA policies. Simulate a change against recent traffic before you save it.'),
    h(
      'div',
      { class: 'workflow' },
      h('div', {}, source, h(
          'div',
          { class: 'actions' },
          hours,
          h('button', { type: 'button', onclick: () => void simulate() }, 'Simulate'),
          canSave ? h('button', { type: 'button', class: 'primary', onclick: () => void save() }, 'Validate and save') : h('span', { class: 'muted' }, 'Only admins save workflows.'),
          h('button', { type: 'button', onclick: () => (source.value = saved) }, 'Discard changes'),
        )),
      result,
    ),
  );
  ctx.api
    .get<{ source: string }>('/workflow')
    .then((w) => {
      saved = w.source;
      source.value = w.source;
    })
    .catch((err) => show(result, notice(describeError(err), 'error')));
};
