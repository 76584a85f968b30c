import { PRESENCES, Presence, User } from '../api-types.js';
import { canOpen, homeRoute, navigationFor, parseRoute } from '../navigation.js';
import { Api, describeError } from './api.js';
import { Ctx, View } from './context.js';
import { h, notice, show } from './dom.js';
import { Live } from './live.js';
import { OfferStore } from './offer-store.js';
import { accountView } from './account-view.js';
import { agentsView } from './agents-view.js';
import { auditView } from './audit-view.js';
import { dashboardView } from './dashboard-view.js';
import { signInView } from './sign-in-view.js';
import { ticketView } from './ticket-view.js';
import { ticketsView } from './tickets-view.js';
import { workflowView } from './workflow-view.js';
import { workspaceView } from './workspace-view.js';

const VIEWS: Record<string, View> = {
  workspace: workspaceView,
  ticket: ticketView,
  tickets: ticketsView,
  dashboard: dashboardView,
  agents: agentsView,
  workflow: workflowView,
  audit: auditView,
  account: accountView,
};

const app = document.getElementById('app') as HTMLElement;
const api = new Api();
let live: Live | undefined;
let offers: OfferStore | undefined;
let leaveView: (() => void) | void;

function signedOut(message?: string): void {
  live?.stop();
  live = undefined;
  offers?.stop();
  offers = undefined;
  leaveView?.();
  leaveView = undefined;
  window.removeEventListener('hashchange', route);
  show(app, signInView(api, (user) => void signedIn(user), message));
}

async function signedIn(user: User): Promise<void> {
  live = new Live(api);
  const status = h('span', { class: 'live-state', 'data-state': 'connecting' }, 'connecting…');
  live.onState = (state) => {
    status.dataset.state = state;
    status.textContent = state === 'live' ? 'live' : 'reconnecting…';
  };
  offers = new OfferStore(live, user.agentId);
  const offerBadge = h('a', { href: '#/workspace', class: 'offer-badge', hidden: true });
  offers.onChange(() => {
    const count = offers?.open.length ?? 0;
    offerBadge.hidden = count === 0;
    offerBadge.textContent = count === 1 ? '1 offer' : `${count} offers`;
    // Seen from another tab too.
    document.title = count ? `(${count}) Switchboard console` : 'Switchboard console';
  });
  void live.start();
  const nav = h('nav', { 'aria-label': 'main' });
  const main = h('main', { id: 'view' });
  show(
    app,
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'Switchboard'),
      nav,
      h('span', { class: 'spacer' }),
      offerBadge,
      user.agentId ? presenceSwitch(user) : null,
      status,
      h('a', { href: '#/account', class: 'who', title: 'your account' }, user.name, ' ', h('small', { class: 'role' }, user.role)),
      h('button', { type: 'button', class: 'link', onclick: () => void api.logout().then(() => signedOut()) }, 'Sign out'),
    ),
    main,
  );
  show(nav, navigationFor(user.role, Boolean(user.agentId)).map((item) => h('a', { href: `#/${item.route}`, 'data-route': item.route }, item.label)));
  window.addEventListener('hashchange', route);
  route();
}

function presenceSwitch(user: User): HTMLElement {
  const select = h('select', { 'aria-label': 'presence', name: 'presence' }, PRESENCES.map((p) => h('option', { value: p }, p[0].toUpperCase() + p.slice(1))));
  select.value = 'offline';
  const wrap = h('label', { class: 'presence', 'data-state': 'offline' }, h('span', { class: 'dot' }), select);
  // The router knows the agent's presence; the API may hand it back with /me or the agents list.
  api
    .get<{ presence?: Presence }>('/me')
    .then((me) => {
      if (me.presence) {
        select.value = me.presence;
        wrap.dataset.state = me.presence;
      }
    })
    .catch(() => undefined);
  select.addEventListener('change', async () => {
    const presence = select.value as Presence;
    try {
      await api.post('/me/presence', { presence });
      wrap.dataset.state = presence;
    } catch (err) {
      alert(`Could not change presence: ${describeError(err)}`);
    }
  });
  live?.subscribe((frame) => {
    if (frame.type === 'presence' && frame.agentId === user.agentId) {
      select.value = frame.presence;
      wrap.dataset.state = frame.presence;
    }
  });
  return wrap;
}

function route(): void {
  const user = api.user;
  const main = document.getElementById('view');
  if (!user || !live || !offers || !main) return;
  const { route: name, id, query } = parseRoute(location.hash);
  if (!name || !VIEWS[name]) {
    location.hash = `#/${homeRoute(user.role)}`;
    return;
  }
  leaveView?.();
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) a.classList.toggle('active', a.dataset.route === name);
  if (!canOpen(user.role, Boolean(user.agentId), name)) {
    show(main, notice('This page is not available to your role.', 'error'));
    leaveView = undefined;
    return;
  }
  const ctx: Ctx = { api, live, offers, user, navigate: (hash) => (location.hash = hash) };
  main.replaceChildren();
  leaveView = VIEWS[name](ctx, main, { id, query });
}

api.onSignedOut = () => signedOut('Your session ended; please sign in again.');
api
  .resume()
  .then((user) => (user ? signedIn(user) : signedOut()))
  .catch(() => signedOut());
