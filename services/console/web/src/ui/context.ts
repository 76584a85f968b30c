import { User } from '../api-types.js';
import { Api } from './api.js';
import { Live } from './live.js';
import { OfferStore } from './offer-store.js';

/** What every view gets: the API, the live feed and who is signed in. */
export interface Ctx {
  api: Api;
  live: Live;
  offers: OfferStore;
  user: User;
  navigate(hash: string): void;
}

export interface RouteParams {
  id?: string;
  query: URLSearchParams;
}

/** Renders into `root`; returns what to undo (subscriptions, timers) when the user navigates away. */
export type View = (ctx: Ctx, root: HTMLElement, params: RouteParams) => (() => void) | void;
