import { AgentView, Page } from '../api-types.js';
import { AgentFormInput, CAPACITY_KINDS, agentFromForm } from '../agent-form.js';
import { ApiError, describeError, detailText } from './api.js';
import { View } from './context.js';
import { h, notice, show } from './dom.js';

/** Agents with presence and load; admins edit skills, languages and capacity (an agent.upsert command). */
export const agentsView: View = (ctx, root) => {
  const canEdit = ctx.user.role === 'admin';
  const list = h('section', { 'aria-label': 'agents' });
  const editor = h('section', { class: 'panel', 'aria-label': 'agent editor' });

  const load = async () => {
    try {
      const result = await ctx.api.get<AgentView[] | Page<AgentView>>('/agents?pageSize=100');
      const agents = Array.isArray(result) ? result : result.items;
      show(
        list,
        h(
          'table',
          { class: 'agents' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Agent'), h('th', {}, 'Presence'), h('th', {}, 'Load / capacity'), h('th', {}, 'Skills'), h('th', {}, 'Languages'), h('th', {}, 'Level'), canEdit ? h('th', {}, '') : null)),
          h(
            'tbody',
            {},
            agents.map((a) =>
              h(
                'tr',
                { 'data-agent': a.id },
                h('td', {}, a.displayName ?? a.id, a.displayName ? h('small', { class: 'muted' }, ` ${a.id}`) : null),
                h('td', {}, h('span', { class: `dot ${a.presence ?? 'offline'}` }), ' ', a.presence ?? 'offline'),
                h('td', {}, CAPACITY_KINDS.filter((k) => a.capacity?.[k] !== undefined || a.load?.[k]).map((k) => `${k} ${a.load?.[k] ?? 0}/${a.capacity?.[k] ?? '–'}`).join(' · ')),
                h('td', {}, (a.skills ?? []).join(', ')),
                h('td', {}, (a.languages ?? []).join(', ')),
                h('td', {}, String(a.level ?? 0)),
                canEdit ? h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => edit(a) }, 'Edit')) : null,
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      show(list, notice(describeError(err), 'error'));
    }
  };

  const edit = (agent?: AgentView) => {
    const field = (name: string, value: string, attrs: Record<string, string | boolean> = {}) => h('input', { name, 'aria-label': name, value, ...attrs });
    const inputs = {
      id: field('id', agent?.id ?? '', agent ? { readonly: true } : {}),
      displayName: field('display name', agent?.displayName ?? ''),
      skills: field('skills', (agent?.skills ?? []).join(', ')),
      languages: field('languages', (agent?.languages ?? []).join(', ')),
      teams: field('teams', (agent?.teams ?? []).join(', ')),
      level: field('level', String(agent?.level ?? 0), { type: 'number', min: '0', max: '100' }),
    };
    const capacity = Object.fromEntries(CAPACITY_KINDS.map((k) => [k, field(`${k} capacity`, agent?.capacity?.[k] === undefined ? '' : String(agent.capacity[k]), { type: 'number', min: '0', max: '100', placeholder: 'workflow default' })])) as Record<(typeof CAPACITY_KINDS)[number], HTMLInputElement>;
    const status = h('div', {});
    const save = async (event: Event) => {
      event.preventDefault();
      const input: AgentFormInput = {
        id: inputs.id.value,
        displayName: inputs.displayName.value,
        skills: inputs.skills.value,
        languages: inputs.languages.value,
        teams: inputs.teams.value,
        level: inputs.level.value,
        capacity: Object.fromEntries(CAPACITY_KINDS.map((k) => [k, capacity[k].value])) as AgentFormInput['capacity'],
      };
      const { agent: profile, errors } = agentFromForm(input);
      if (!profile) return show(status, h('ul', { class: 'errors', role: 'alert' }, errors.map((e) => h('li', {}, e))));
      try {
        // The id travels in the path; presence stays the agent's own.
        const { id, ...body } = profile;
        await ctx.api.put(`/agents/${encodeURIComponent(id)}`, body);
        show(status, notice('Saved; the router applies it in a moment.', 'ok'));
        // The router applies the command asynchronously: look again a few times.
        for (const ms of [1000, 3000, 8000]) setTimeout(() => void load(), ms);
      } catch (err) {
        const details = err instanceof ApiError ? err.details : [];
        show(status, notice(describeError(err), 'error'), details.length ? h('ul', { class: 'errors' }, details.map((d) => h('li', {}, detailText(d)))) : null);
      }
    };
    show(
      editor,
      h('h3', {}, agent ? `Edit ${agent.displayName ?? agent.id}` : 'New agent'),
      h(
        'form',
        { class: 'grid-form', novalidate: true, onsubmit: save },
        Object.entries(inputs).map(([name, input]) => h('label', {}, name === 'displayName' ? 'Display name' : name[0].toUpperCase() + name.slice(1), input)),
        h('fieldset', {}, h('legend', {}, 'Conversations at once'), CAPACITY_KINDS.map((k) => h('label', {}, k, capacity[k]))),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save agent'), h('button', { type: 'button', onclick: () => show(editor) }, 'Cancel')),
        status,
      ),
    );
  };

  show(root, h('h2', {}, 'Agents ', canEdit ? h('button', { type: 'button', onclick: () => edit() }, 'New agent') : null), editor, list);
  void load();
  const unsubscribe = ctx.live.subscribe((frame) => {
    if (frame.type === 'presence') void load();
  });
  return unsubscribe;
};
