import { ApiError, describeError } from './api.js';
import { View } from './context.js';
import { h, notice, show } from './dom.js';
import { figures } from './figures.js';

/**
 * The routing workflow (YAML): try a change against recent tickets with the simulator, then save;
 * the API validates before it publishes the workflow.set command, and lists what is wrong.
 */
export const workflowView: View = (ctx, root) => {
  const source = h('textarea', { class: 'code', name: 'workflow', 'aria-label': 'workflow source', rows: 28, spellcheck: 'false' });
  const result = h('section', { class: 'panel', 'aria-label': 'result' });
  let saved = '';

  const problems = (err: unknown) => {
    const details = err instanceof ApiError ? err.details : [];
    show(
      result,
      notice(err instanceof ApiError && err.status === 422 ? 'The workflow is not valid:' : describeError(err), 'error'),
      details.length ? h('ul', { class: 'errors' }, details.map((d) => h('li', {}, typeof d === 'string' ? d : figures(d)))) : null,
    );
  };

  const simulate = async () => {
    show(result, h('p', { class: 'muted' }, 'Simulating against recent tickets…'));
    try {
      show(result, h('h3', {}, 'Simulation'), figures(await ctx.api.post<unknown>('/workflow/simulate', { source: source.value })));
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
      h('div', {}, source, h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void simulate() }, 'Simulate'), h('button', { type: 'button', class: 'primary', onclick: () => void save() }, 'Validate and save'), h('button', { type: 'button', onclick: () => (source.value = saved) }, 'Discard changes'))),
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
