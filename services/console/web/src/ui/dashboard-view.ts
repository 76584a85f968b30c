import { AgentView, Page, Presence, QueueStats } from '../api-types.js';
import { countsToRows } from '../bar-chart.js';
import { formatDuration } from '../durations.js';
import { describeError } from './api.js';
import { barChart, gauge, throughputChart } from './charts.js';
import { View } from './context.js';
import { h, notice, show } from './dom.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, LANGUAGE_LABELS } from './labels.js';
import { ticketSearch } from './tickets-view.js';

type Stats = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The operators' live picture: queues, agents, volumes, classifier health, throughput, search. */
export const dashboardView: View = (ctx, root, { query }) => {
  const queuesBox = h('section', { class: 'panel wide', 'aria-label': 'queues' });
  const agentsBox = h('section', { class: 'panel', 'aria-label': 'agents' });
  const statsBox = h('section', { class: 'panel wide', 'aria-label': 'statistics' });
  let window: 'hour' | 'day' = query.get('window') === 'day' ? 'day' : 'hour';
  let agents: AgentView[] = [];

  const renderQueues = (queues: QueueStats[]) =>
    show(
      queuesBox,
      h('h3', {}, 'Queues ', h('small', { class: 'muted' }, 'live')),
      h(
        'table',
        { class: 'queues' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Queue'), h('th', {}, 'Waiting'), h('th', {}, 'Longest wait'), h('th', {}, 'Expected wait'), h('th', {}, 'SLA at risk'), h('th', {}, 'SLA breached'))),
        h(
          'tbody',
          {},
          queues.map((q) =>
            h(
              'tr',
              { 'data-queue': q.queue },
              h('td', {}, q.name ?? q.queue),
              h('td', { class: 'num waiting' }, String(q.waiting)),
              h('td', { class: 'num' }, q.waiting ? formatDuration(q.longestWaitSeconds) : '—'),
              h('td', { class: 'num' }, q.expectedWaitSeconds === undefined || q.expectedWaitSeconds === null ? '—' : formatDuration(q.expectedWaitSeconds)),
              h('td', { class: `num ${q.slaAtRisk ? 'at_risk' : ''}` }, String(q.slaAtRisk)),
              h('td', { class: `num ${q.slaBreached ? 'breached' : ''}` }, String(q.slaBreached)),
            ),
          ),
        ),
      ),
    );

  const renderAgents = () => {
    const byPresence = (p: Presence) => agents.filter((a) => (a.presence ?? 'offline') === p);
    show(
      agentsBox,
      h('h3', {}, 'Agents'),
      (['available', 'away', 'offline'] as const).map((p) =>
        h(
          'div',
          { class: 'presence-group', 'data-presence': p },
          h('h4', {}, `${p[0].toUpperCase()}${p.slice(1)} (${byPresence(p).length})`),
          h(
            'ul',
            {},
            byPresence(p).map((a) => h('li', { 'data-agent': a.id }, h('span', { class: `dot ${p}` }), a.displayName ?? a.id, ' ', h('small', { class: 'muted' }, loadText(a)))),
          ),
        ),
      ),
    );
  };

  const renderStats = (stats: Stats) => {
    const volume = (stats.volume ?? stats) as Stats;
    const toggle = h(
      'div',
      { class: 'toggle', role: 'group', 'aria-label': 'window' },
      (['hour', 'day'] as const).map((w) => h('button', { type: 'button', 'aria-pressed': String(w === window), onclick: () => ((window = w), void loadStats()) }, w === 'hour' ? 'Last hour' : 'Last day')),
    );
    const throughput = num(stats.resolvedPerHour) ?? num(stats.throughput);
    show(
      statsBox,
      h('h3', {}, 'Traffic ', toggle),
      h(
        'div',
        { class: 'charts' },
        barChart('By channel', countsToRows(volume.byChannel ?? volume.channel, CHANNEL_LABELS)),
        barChart('By category', countsToRows(volume.byCategory ?? volume.category, CATEGORY_LABELS)),
        barChart('By language', countsToRows(volume.byLanguage ?? volume.language, LANGUAGE_LABELS)),
        throughputChart('Throughput', Array.isArray(stats.series) ? (stats.series as { from: string; opened: number; resolved: number }[]) : [], (from) =>
          new Date(from).toLocaleTimeString([], window === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { hour: '2-digit' }),
        ),
        h(
          'div',
          { class: 'gauges' },
          gauge('Mean classifier confidence', num(stats.meanConfidence)),
          gauge('Sent to triage', num(stats.triageRate)),
          h('figure', { class: 'gauge' }, h('figcaption', {}, 'Resolved per hour'), h('div', { class: 'big' }, throughput === undefined ? '—' : throughput.toFixed(1))),
        ),
      ),
    );
  };

  const loadQueues = () =>
    ctx.api
      .get<QueueStats[] | { queues: QueueStats[] }>('/queues/stats')
      .then((s) => renderQueues(Array.isArray(s) ? s : s.queues))
      .catch((err) => show(queuesBox, notice(describeError(err), 'error')));
  const loadAgents = () =>
    ctx.api
      .get<AgentView[] | Page<AgentView>>('/agents?pageSize=100')
      .then((a) => {
        agents = Array.isArray(a) ? a : a.items;
        renderAgents();
      })
      .catch((err) => show(agentsBox, notice(describeError(err), 'error')));
  const loadStats = () =>
    ctx.api
      .get<Stats>(`/stats?window=${window}`)
      .then(renderStats)
      .catch((err) => show(statsBox, notice(describeError(err), 'error')));

  show(
    root,
    h('div', { class: 'dashboard' }, queuesBox, agentsBox, statsBox),
    h('section', { class: 'panel wide', 'aria-label': 'ticket search' }, h('h3', {}, 'Find a ticket'), ticketSearch(ctx, new URLSearchParams(), { routing: true })),
  );
  void loadQueues();
  void loadAgents();
  void loadStats();

  const unsubscribe = ctx.live.subscribe((frame) => {
    if (frame.type === 'queue_stats') renderQueues(frame.queues);
    if (frame.type === 'presence') {
      const agent = agents.find((a) => a.id === frame.agentId);
      if (agent) {
        agent.presence = frame.presence;
        renderAgents();
      } else void loadAgents();
    }
    if (frame.type === 'ticket' && /assigned|unassigned|resolved/.test(frame.event.type)) void loadAgents();
  });
  // Volumes move slowly; a refresh every half minute is live enough and cheap.
  const timer = setInterval(() => void loadStats(), 30_000);
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
};

function loadText(a: AgentView): string {
  const kinds = Object.keys({ ...a.capacity, ...a.load });
  if (kinds.length === 0) return '';
  return kinds.map((k) => `${k} ${a.load?.[k] ?? 0}/${a.capacity?.[k] ?? '–'}`).join(' · ');
}

