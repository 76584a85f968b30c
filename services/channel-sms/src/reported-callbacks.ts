import { Injectable } from '@nestjs/common';

/** More than the callbacks of the messages one process has with Twilio at once. */
const REMEMBERED = 20_000;

/**
 * The notifications whose status callback receipts this process has already put on `deliveries`.
 * A batch publishes its `queued` receipts only after its last Twilio call, seconds after the first
 * callbacks (`sent`, `delivered`) of its early messages went out: a `queued` after them says
 * nothing new (the notification is stored queued, the callbacks carry the SID), yet cost the
 * notifier another update of the whole notification document in FerretDB, a third of its receipt
 * writes. Such a `queued` is left out, as it already was when the outbox showed a callback first.
 * Memory only, and bounded: after a restart, or for a message the memory lost, `queued` goes out
 * as before, which is harmless (the notifier keeps the most advanced status).
 */
@Injectable()
export class ReportedCallbacks {
  private readonly ids = new Set<string>();

  add(notificationIds: Iterable<string>): void {
    for (const id of notificationIds) {
      this.ids.delete(id);
      this.ids.add(id);
    }
    // Oldest first: a Set iterates in insertion order.
    for (const id of this.ids) {
      if (this.ids.size <= REMEMBERED) break;
      this.ids.delete(id);
    }
  }

  /** Whether a callback receipt for the notification went out; forgets it (one create answer per message). */
  take(notificationId: string): boolean {
    return this.ids.delete(notificationId);
  }
}
