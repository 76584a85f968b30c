import { TicketSummary } from '../api-types.js';
import { age, slaClock } from './clocks.js';
import { h } from './dom.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, STATUS_LABELS, label } from './labels.js';

export function ticketHref(id: string): string {
  return `#/ticket/${encodeURIComponent(id)}`;
}

/** Who wrote in, as the list shows them: their name when the channel gave one, else the address. */
export function customerOf(ticket: TicketSummary): string {
  return ticket.contact.displayName ? `${ticket.contact.displayName} (${ticket.contact.address})` : ticket.contact.address;
}

/** Tickets as a table; every customer-supplied field is a text node. */
export function ticketTable(tickets: TicketSummary[], options: { empty?: string; extra?: (t: TicketSummary) => HTMLElement | string } = {}): HTMLElement {
  if (tickets.length === 0) return h('p', { class: 'empty' }, options.empty ?? 'No tickets.');
  // Lists carry the last customer text only when the API sends it.
  const previews = tickets.some((t) => t.preview || t.subject);
  return h(
    'table',
    { class: 'tickets' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Ticket'), h('th', {}, 'Customer'), previews ? h('th', {}, 'Last message') : null, h('th', {}, 'Category'), h('th', {}, 'Queue'), h('th', {}, 'Status'), h('th', {}, 'Age'), h('th', {}, 'SLA'), options.extra ? h('th', {}, '') : null)),
    h(
      'tbody',
      {},
      tickets.map((t) =>
        h(
          'tr',
          { 'data-ticket': t.id },
          h('td', {}, h('a', { href: ticketHref(t.id) }, `SB-${t.number}`), ' ', h('span', { class: 'chip' }, label(CHANNEL_LABELS, t.channel))),
          h('td', { class: 'customer' }, customerOf(t)),
          previews ? h('td', { class: 'preview' }, t.subject ? h('strong', {}, t.subject, ' ') : null, t.preview ?? '') : null,
          h('td', {}, label(CATEGORY_LABELS, t.category), t.triage ? h('span', { class: 'chip warn' }, 'triage') : null),
          h('td', {}, t.queue),
          h('td', {}, label(STATUS_LABELS, t.status), t.assigneeId ? h('small', { class: 'muted' }, ` · ${t.assigneeId}`) : t.assignment?.state === 'offered' ? h('small', { class: 'muted' }, ` · offered to ${t.assignment.agentId}`) : null),
          h('td', {}, age(t.openedAt)),
          h('td', {}, slaClock(t.sla)),
          options.extra ? h('td', {}, options.extra(t)) : null,
        ),
      ),
    ),
  );
}
