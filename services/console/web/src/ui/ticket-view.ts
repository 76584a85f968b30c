import { CATEGORIES, Category, ClassificationView, Message, Note, NotificationView, QueueStats, RoutingLog, TicketDetail } from '../api-types.js';
import { cannedFor, fillCanned } from '../canned-responses.js';
import { formatDuration } from '../durations.js';
import { ApiError, describeError } from './api.js';
import { countdown, slaClock } from './clocks.js';
import { View } from './context.js';
import { Child, add, debounce, h, notice, show } from './dom.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS, label } from './labels.js';
import { customerOf } from './ticket-table.js';

/** One ticket: the conversation on every channel, what the classifier saw, and what an agent can do. */
export const ticketView: View = (ctx, root, { id }) => {
  if (!id) return;
  const ticketId = id;
  const path = `/tickets/${encodeURIComponent(ticketId)}`;
  const status = h('div', { class: 'status', 'aria-live': 'polite' });
  let detail: TicketDetail | undefined;
  let draft = '';

  const load = async () => {
    try {
      detail = await ctx.api.get<TicketDetail>(path);
      render(detail);
    } catch (err) {
      // A refused ticket shows nothing of itself, not even its number.
      const text = err instanceof ApiError && err.status === 403 ? 'You do not have access to this ticket.' : err instanceof ApiError && err.status === 404 ? 'There is no such ticket.' : describeError(err);
      show(root, h('div', { class: 'refused' }, notice(text, 'error'), h('a', { href: '#/' }, 'Back')));
    }
  };

  const command = async (verb: string, body: unknown, done: string) => {
    try {
      await ctx.api.post(`${path}/${verb}`, body);
      show(status, notice(done, 'ok'));
      reloadSoon();
      return true;
    } catch (err) {
      show(status, notice(describeError(err), 'error'));
      return false;
    }
  };

  function render(d: TicketDetail): void {
    const t = d.ticket;
    ctx.offers.seen([t]);
    const offer = ctx.offers.open.find((o) => o.ticketId === t.id);
    show(
      root,
      h(
        'div',
        { class: 'ticket-view' },
        h(
          'header',
          { class: 'ticket-head' },
          h('h2', {}, `SB-${t.number}`, ' ', h('span', { class: `badge status-${t.status}` }, label(STATUS_LABELS, t.status))),
          h(
            'div',
            { class: 'facts' },
            fact('Customer', customerOf(t)),
            fact('Channel', label(CHANNEL_LABELS, t.channel)),
            fact('Queue', t.queue),
            fact('Category', label(CATEGORY_LABELS, t.category)),
            fact('Language', label(LANGUAGE_LABELS, t.language)),
            fact('Assignee', t.assigneeId ?? '—'),
            fact('SLA', slaClock(d.sla ?? t.sla)),
            t.queuePosition ? fact('In line', `#${t.queuePosition}${t.expectedWaitSeconds ? `, about ${formatDuration(t.expectedWaitSeconds)}` : ''}`) : null,
          ),
          offer
            ? h(
                'div',
                { class: 'offer inline' },
                'Offered to you: ',
                countdown(offer.expiresAt),
                ' ',
                h('button', { type: 'button', class: 'primary', onclick: () => void command('accept', {}, 'Accepted.').then(() => ctx.offers.remove(t.id)) }, 'Accept'),
                h('button', { type: 'button', onclick: () => void command('reject', {}, 'Rejected.').then(() => ctx.offers.remove(t.id)) }, 'Reject'),
              )
            : null,
        ),
        h('div', { class: 'ticket-body' }, h('section', { class: 'conversation', 'aria-label': 'conversation' }, conversation(d.messages, d.notes ?? []), composer(d)), h('aside', {}, actions(d), classification(d.classification), notifications(d.notifications ?? []), routingLog())),
        status,
      ),
    );
  }

  function composer(d: TicketDetail): HTMLElement {
    const text = h('textarea', { name: 'reply', rows: 4, 'aria-label': 'reply', placeholder: 'Write to the customer…' });
    text.value = draft;
    text.addEventListener('input', () => (draft = text.value));
    const canned = h(
      'select',
      { 'aria-label': 'canned responses' },
      h('option', { value: '' }, 'Canned responses…'),
      cannedFor(d.ticket.category, d.ticket.language).map((c, i) => h('option', { value: String(i) }, c.title)),
    );
    canned.addEventListener('change', () => {
      const picked = cannedFor(d.ticket.category, d.ticket.language)[Number(canned.value)];
      if (picked) {
        text.value = fillCanned(picked.text, { name: d.ticket.contact.displayName, ticket: d.ticket.number });
        draft = text.value;
        text.focus();
      }
      canned.value = '';
    });
    const send = async (kind: 'reply' | 'notes') => {
      const value = text.value.trim();
      if (!value) return;
      if (await command(kind, { text: value }, kind === 'reply' ? 'Reply sent; it goes out on the customer’s channel.' : 'Note added.')) {
        draft = '';
        text.value = '';
      }
    };
    return h(
      'form',
      { class: 'composer', onsubmit: (e: Event) => (e.preventDefault(), void send('reply')) },
      text,
      h('div', { class: 'actions' }, canned, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => void send('notes') }, 'Add internal note'), h('button', { type: 'submit', class: 'primary' }, 'Send reply')),
    );
  }

  function actions(d: TicketDetail): HTMLElement {
    const t = d.ticket;
    const category = h('select', { 'aria-label': 'category' }, CATEGORIES.map((c) => h('option', { value: c }, label(CATEGORY_LABELS, c))));
    category.value = t.category;
    const target = h('select', { 'aria-label': 'transfer to' }, h('option', { value: 'workflow' }, 'Back to routing'));
    const agentId = h('input', { 'aria-label': 'agent id', placeholder: 'or agent id', size: 12 });
    // Agents may only hand a ticket back to routing; moving it to a queue or a person is for supervisors.
    const supervises = ctx.user.role !== 'agent';
    if (supervises) void ctx.api
      .get<QueueStats[] | { queues: QueueStats[] }>('/queues/stats')
      .then((stats) => {
        const queues = Array.isArray(stats) ? stats : stats.queues;
        for (const q of queues) if (q.queue !== t.queue) target.append(h('option', { value: `queue:${q.queue}` }, `Queue: ${q.name ?? q.queue}`));
      })
      .catch(() => undefined);
    const transfer = () => {
      const agent = agentId.value.trim();
      const to = agent ? { kind: 'agent', agentId: agent } : target.value === 'workflow' ? { kind: 'workflow' } : { kind: 'queue', queue: target.value.slice('queue:'.length) };
      void command('transfer', { to }, 'Transfer requested.');
    };
    return h(
      'section',
      { class: 'panel', 'aria-label': 'actions' },
      h('h3', {}, 'Status'),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', disabled: t.status === 'pending' || t.status === 'resolved', onclick: () => void command('pending', {}, 'Waiting for the customer.') }, 'Waiting for customer'),
        h('button', { type: 'button', disabled: t.status === 'resolved', onclick: () => void command('resolve', {}, 'Resolved.') }, 'Resolve'),
      ),
      h('h3', {}, 'Transfer'),
      h('div', { class: 'actions' }, target, supervises ? agentId : null, h('button', { type: 'button', onclick: transfer }, 'Transfer')),
      h('h3', {}, 'Category'),
      h(
        'div',
        { class: 'actions' },
        category,
        h('button', { type: 'button', onclick: () => category.value !== t.category && void command('category', { category: category.value as Category }, 'Category changed; the classifier learns from it.') }, 'Recategorise'),
      ),
    );
  }

  function routingLog(): HTMLElement {
    const box = h('section', { class: 'panel', 'aria-label': 'routing log' }, h('h3', {}, 'Routing decisions'));
    void ctx.api
      .get<RoutingLog>(`${path}/routing`)
      .then((log) => box.append(routingEntries(log)))
      .catch((err) => box.append(h('p', { class: 'muted' }, describeError(err))));
    return box;
  }

  const reloadSoon = debounce(() => void load(), 400);
  const unsubscribe = ctx.live.subscribe((frame) => {
    if (frame.type === 'ticket' && frame.event.ticketId === ticketId) reloadSoon();
  });
  show(root, h('p', { class: 'muted' }, 'Loading…'));
  void load();
  return unsubscribe;
};

function fact(name: string, value: Child): HTMLElement {
  return h('div', { class: 'fact' }, h('span', { class: 'fact-name' }, name), h('span', { class: 'fact-value' }, value));
}

/** Messages and internal notes in time order, each labelled with who wrote it and on which channel. */
function conversation(messages: Message[], notes: Note[]): HTMLElement {
  const items: { at: string; el: HTMLElement }[] = [
    ...messages.map((m) => ({
      at: m.at,
      el: h(
        'article',
        { class: `message ${m.author}`, 'data-message': m.id },
        h('div', { class: 'meta' }, m.author === 'customer' ? 'Customer' : m.author === 'agent' ? `Agent${m.agentId ? ` ${m.agentId}` : ''}` : 'Switchboard', ' · ', label(CHANNEL_LABELS, m.channel), ' · ', new Date(m.at).toLocaleString(), m.status ? ` · ${m.status}` : ''),
        m.subject ? h('div', { class: 'subject' }, m.subject) : null,
        h('div', { class: 'text' }, m.text),
      ),
    })),
    ...notes.map((n) => ({
      at: n.at,
      el: h('article', { class: 'message note' }, h('div', { class: 'meta' }, 'Internal note', n.agentId ?? n.author ? ` · ${n.agentId ?? n.author}` : '', ' · ', new Date(n.at).toLocaleString()), h('div', { class: 'text' }, n.text)),
    })),
  ];
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return h('div', { class: 'messages' }, items.length ? items.map((i) => i.el) : h('p', { class: 'empty' }, 'No messages.'));
}

function classification(c: ClassificationView | undefined): HTMLElement {
  const box = h('section', { class: 'panel', 'aria-label': 'classification' }, h('h3', {}, 'Classification'));
  if (!c) return (box.append(h('p', { class: 'muted' }, 'Not classified.')), box);
  const scores = Object.entries(c.scores ?? {}).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  const e = c.entities ?? {};
  const entities: [string, string[]][] = [
    ['Amount', (e.amounts ?? []).map((a) => a.text || `${a.value} ${a.currency}`)],
    ['Transaction', e.transactionIds ?? []],
    ['When', e.incidentTimeText ? [e.incidentTimeText] : e.incidentTime ? [e.incidentTime] : []],
    ['Merchant', e.merchants ?? []],
    ['Card / account digits', e.maskedDigits ?? []],
  ];
  add(
    box,
    h('p', {}, h('strong', {}, label(CATEGORY_LABELS, c.category)), ` · ${Math.round(c.confidence * 100)}% sure`),
    scores.length ? h('ul', { class: 'scores' }, scores.map(([cat, score]) => h('li', {}, h('span', { class: 'score-name' }, label(CATEGORY_LABELS, cat)), h('meter', { min: 0, max: 1, value: score ?? 0 }), h('span', {}, `${Math.round((score ?? 0) * 100)}%`)))) : null,
    c.explanation?.length ? h('details', { open: true }, h('summary', {}, 'Why'), h('ul', {}, c.explanation.map((line) => h('li', {}, line)))) : null,
    h('dl', { class: 'entities' }, entities.filter(([, values]) => values.length).map(([name, values]) => [h('dt', {}, name), h('dd', {}, values.join(', '))])),
  );
  return box;
}

function notifications(list: NotificationView[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-label': 'notifications' },
    h('h3', {}, 'Sent to the customer'),
    list.length ? h('ul', {}, list.map((n) => h('li', {}, `${n.kind.replace(/_/g, ' ')} · ${label(CHANNEL_LABELS, n.channel)} · `, h('span', { class: `delivery ${n.status}` }, n.status), n.errorCode ? ` (${n.errorCode})` : ''))) : h('p', { class: 'muted' }, 'Nothing yet.'),
  );
}

/** Why the ticket is in its queue, then the router's steps with their explanations, oldest first. */
export function routingEntries(log: RoutingLog): HTMLElement {
  const route = log.route;
  return h(
    'div',
    { class: 'routing' },
    route
      ? h('div', {}, h('strong', {}, `Queue ${log.queue}`), route.filter ? ` by filter ${route.filter}${route.step !== undefined && route.step !== null ? `, step ${route.step + 1}` : ''}` : '', route.explanation?.length ? h('ul', { class: 'muted' }, route.explanation.map((line) => h('li', {}, line))) : null)
      : null,
    log.entries.length === 0
      ? h('p', { class: 'muted' }, 'No assignment decisions yet.')
      : h(
          'ol',
          { class: 'routing-log' },
          log.entries.map((e) =>
            h(
              'li',
              {},
              h('div', {}, h('strong', {}, (e.type ?? 'decision').replace(/^ticket\./, '')), e.queue ? ` · ${e.queue}` : '', e.agentId ? ` → ${e.agentId}` : '', e.reason ? ` · ${e.reason}` : '', e.at ? h('small', { class: 'muted' }, ` ${new Date(e.at).toLocaleTimeString()}`) : null),
              e.explanation?.length ? h('ul', {}, e.explanation.map((line) => h('li', {}, line))) : null,
            ),
          ),
        ),
  );
}
