import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { smsReceipt, SmsReceiptInput } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { ReportedCallbacks } from './reported-callbacks';
import { SmsOutboxRepository } from './sms-outbox.repository';

export interface StatusCallback {
  receipt: SmsReceiptInput;
  messageSid: string;
  /** Twilio's own word for the step (queued, sent, delivered...). */
  twilioStatus: string;
}

interface Waiting {
  callback: StatusCallback;
  done: (error?: unknown) => void;
}

/** Callbacks stored together at most; more wait for the next group. */
const MAX_GROUP = 500;

/**
 * Twilio posts a callback for each step of every message, each its own HTTP request. One by one,
 * each cost a produce request (the idempotent producer sends one at a time per broker) and a read
 * and a write in MongoDB, hundreds at once when a batch of messages had just gone out. Here the
 * callbacks that arrive while a group is being stored form the next group: one produce request
 * of all their receipts, then their records with a read each and one bulkWrite. A request is
 * answered once its group is stored, so an answered callback is never lost; when storing fails,
 * every request of the group gets the error (5xx) and Twilio posts it again. No timer: alone, a
 * callback is stored at once.
 */
@Injectable()
export class StatusCallbackBatcher {
  private waiting: Waiting[] = [];
  private storing = false;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly outbox: SmsOutboxRepository,
    private readonly logger: PinoLogger,
    private readonly reported: ReportedCallbacks,
  ) {}

  submit(callback: StatusCallback): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ callback, done: (error) => (error === undefined ? resolve() : reject(error)) });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.storing || this.waiting.length === 0) return;
    this.storing = true;
    const group = this.waiting.splice(0, MAX_GROUP);
    try {
      const started = performance.now();
      await this.store(group.map((w) => w.callback));
      this.logger.info({ callbacks: group.length, ms: Math.round(performance.now() - started) }, 'status callbacks stored');
      for (const w of group) w.done();
    } catch (error) {
      for (const w of group) w.done(error ?? new Error('storing status callbacks failed'));
    } finally {
      this.storing = false;
      void this.next();
    }
  }

  private async store(callbacks: StatusCallback[]): Promise<void> {
    await this.publisher.publishMany(callbacks.map((c) => ({ topic: 'deliveries' as const, event: smsReceipt(c.receipt), key: c.receipt.notificationId })));
    this.reported.add(callbacks.map((c) => c.receipt.notificationId));
    await this.outbox.recordCallbacks(
      callbacks.map((c) => ({ notificationId: c.receipt.notificationId, messageSid: c.messageSid, status: c.twilioStatus })),
      new Date(),
    );
  }
}
