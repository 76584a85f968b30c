import { Page, TicketSummary } from '../api-types.js';
import { Offer } from '../offers.js';
import { describeError } from './api.js';
import { countdown } from './clocks.js';
import { View } from './context.js';
import { debounce, h, notice, show } from './dom.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, label } from './labels.js';
import { ticketHref, ticketTable } from './ticket-table.js';

/** The agent's desk: offers to take, their own tickets with SLA clocks, and what waits in their queues. */
export const workspaceView: View = (ctx, root) => {
  const offersBox = h('section', { class: 'offers', 'aria-label': 'offers' });
  const mine = h('section', { 'aria-label': 'my tickets' });
  const waiting = h('section', { 'aria-label': 'waiting in my queues' });
  show(
    root,
    h('div', { class: 'workspace' }, h('h2', {}, 'Offers'), offersBox, h('h2', {}, 'My tickets'), mine, h('h2', {}, 'Waiting in my queues', h('small', { class: 'muted' }, ` (${ctx.user.queues.join(', ') || 'none'})`)), waiting),
  );

  const renderOffers = () => {
    const offers = ctx.offers.open;
    if (offers.length === 0) {
      show(offersBox, h('p', { class: 'empty' }, 'No offers right now. Set yourself available to receive them.'));
      return;
    }
    show(offersBox, offers.map((o) => offerCard(o)));
  };

  const offerCard = (offer: Offer) => {
    const status = h('div', {});
    const act = async (verb: 'accept' | 'reject') => {
      try {
        await ctx.api.post(`/tickets/${encodeURIComponent(offer.ticketId)}/${verb}`, {});
        ctx.offers.remove(offer.ticketId);
        if (verb === 'accept') ctx.navigate(ticketHref(offer.ticketId));
      } catch (err) {
        show(status, notice(describeError(err), 'error'));
      }
    };
    return h(
      'article',
      { class: 'offer', 'data-ticket': offer.ticketId },
      h('div', { class: 'offer-head' }, h('a', { href: ticketHref(offer.ticketId) }, offer.number ? `SB-${offer.number}` : 'New ticket'), ' ', countdown(offer.expiresAt)),
      h('div', {}, [label(CATEGORY_LABELS, offer.category), label(CHANNEL_LABELS, offer.channel), offer.queue ?? ''].filter(Boolean).join(' · ')),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => void act('accept') }, 'Accept'), h('button', { type: 'button', onclick: () => void act('reject') }, 'Reject')),
      status,
    );
  };

  const load = async () => {
    try {
      const [assigned, queued] = await Promise.all([
        ctx.api.get<Page<TicketSummary>>('/tickets?assignee=me&pageSize=100'),
        ctx.api.get<Page<TicketSummary>>('/tickets?status=open&pageSize=100'),
      ]);
      ctx.offers.seen(queued.items);
      show(mine, ticketTable(assigned.items.filter((t) => t.status !== 'resolved'), { empty: 'Nothing assigned to you.' }));
      show(waiting, ticketTable(queued.items.filter((t) => !t.assigneeId && t.assignment?.state !== 'assigned'), { empty: 'No tickets waiting.' }));
    } catch (err) {
      show(mine, notice(describeError(err), 'error'));
    }
  };
  const reload = debounce(() => void load(), 300);

  const unsubscribe = ctx.live.subscribe((frame) => {
    if (frame.type === 'ticket' || frame.type === 'offer') reload();
  });
  const unwatch = ctx.offers.onChange(renderOffers);
  renderOffers();
  void load();
  return () => {
    unsubscribe();
    unwatch();
  };
};
