import { TicketSummary } from '../api-types.js';
import { Offer, applyToOffers, mergeOffers, offersIn, openOffers } from '../offers.js';
import { Live } from './live.js';

/**
 * The agent's open offers for the whole session: offers arrive once, over the socket, so they are
 * collected from sign-in on, whichever page is showing, and survive navigation.
 */
export class OfferStore {
  private offers: Offer[] = [];
  private readonly listeners = new Set<() => void>();

  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    live: Live,
    private readonly agentId: string | undefined,
  ) {
    live.subscribe((frame) => {
      const before = this.offers;
      this.offers = applyToOffers(this.offers, frame);
      if (this.offers !== before) this.changed();
    });
    // Offers that ran out leave without a frame.
    this.sweep = setInterval(() => {
      if (openOffers(this.offers, Date.now()).length !== this.offers.length) {
        this.offers = openOffers(this.offers, Date.now());
        this.changed();
      }
    }, 1000);
  }

  get open(): Offer[] {
    return openOffers(this.offers, Date.now());
  }

  /** Offers a ticket list shows (the socket tells each offer once; a reload would lose it). */
  seen(tickets: TicketSummary[]): void {
    const before = this.offers;
    this.offers = mergeOffers(this.offers, offersIn(tickets, this.agentId));
    if (this.offers !== before) this.changed();
  }

  stop(): void {
    clearInterval(this.sweep);
    this.listeners.clear();
  }

  remove(ticketId: string): void {
    this.offers = this.offers.filter((o) => o.ticketId !== ticketId);
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
