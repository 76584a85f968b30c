import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Twilio } from 'twilio';
import { classifySendFailure, deliveryStatusOfTwilio, OPTED_OUT_CODE, smsReceipt, SmsReceiptInput, statusCallbackUrl } from '@switchboard/channels';
import { OutboundMessage } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { SmsOptOutRepository } from './opt-out.repository';
import { ReportedCallbacks } from './reported-callbacks';
import { SentRecord, SmsOutboxDocument, SmsOutboxRepository } from './sms-outbox.repository';
import { SMS_ENV, SmsEnv, senderOf } from './sms.config';
import { TWILIO_CLIENT } from './twilio-client';

/** What became of one message's Messages API call. */
type SendResult = { kind: 'sent'; sid: string; status: string } | { kind: 'failed'; error: unknown } | { kind: 'deferred'; why: string };

/**
 * Sends notifications as SMS through Twilio's Messages API, at most once per notification id,
 * never to a number that texted STOP, and reports what happened on `deliveries`.
 *
 * A batch costs the database one `{_id: {$in}}` read of opt-outs, one insert of all claims and
 * the accepted messages' sent records (inserted while the rest are still with Twilio, 25 an
 * insert; a duplicate says a callback came first), and the broker one produce request of all
 * receipts. Twilio is called for up to `SMS_SEND_CONCURRENCY` numbers at
 * once; one number's messages go one after another, in order, and when one of them must be tried
 * again later, the ones after it wait with it (their claims given back), so a customer never gets
 * them out of order. Once the service is stopping (`stopping`), no new call starts: the calls under
 * way finish, and the rest give their claims back and come again after the restart.
 */
@Injectable()
export class SendSmsUseCase {
  constructor(
    @Inject(TWILIO_CLIENT) private readonly twilio: Twilio,
    @Inject(SMS_ENV) private readonly env: SmsEnv,
    private readonly outbox: SmsOutboxRepository,
    private readonly optOuts: SmsOptOutRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    private readonly reported: ReportedCallbacks = new ReportedCallbacks(),
  ) {}

  /** One notification; throws when Twilio did not take it and it may be tried again. */
  async execute(outbound: OutboundMessage): Promise<void> {
    const error = (await this.executeBatch([outbound])).get(outbound.notificationId);
    if (error !== undefined) throw error;
  }

  /** Returns the notifications to try again later (Twilio did not take them), with why. */
  async executeBatch(outbounds: readonly OutboundMessage[], stopping?: AbortSignal): Promise<Map<string, unknown>> {
    const receipts: SmsReceiptInput[] = [];
    const again = new Map<string, unknown>();
    const phases = new PhaseClock();
    const optedOut = await this.optOuts.optedOutAmong(outbounds.map((o) => o.contact.address));
    const allowed: OutboundMessage[] = [];
    for (const outbound of outbounds) {
      if (!optedOut.has(outbound.contact.address)) {
        allowed.push(outbound);
        continue;
      }
      this.logger.info({ notificationId: outbound.notificationId, ticket: outbound.ticketNumber }, 'not sending: the number texted STOP');
      receipts.push({ notificationId: outbound.notificationId, status: 'failed', error: { code: OPTED_OUT_CODE, message: 'the recipient opted out (texted STOP); START opts back in' }, at: new Date() });
    }

    phases.mark('optOuts');
    const claims = await this.outbox.claimMany(allowed.map((o) => ({ notificationId: o.notificationId, to: o.contact.address })), new Date());
    const claimed: OutboundMessage[] = [];
    const attempts = new Map<string, number>();
    for (const outbound of allowed) {
      const claim = claims.get(outbound.notificationId);
      if (claim?.claimed) {
        claimed.push(outbound);
        attempts.set(outbound.notificationId, claim.attempts);
      } else if (claim) receipts.push(...this.repeat(claim.existing));
    }

    phases.mark('claim');
    const sentRecords = new SentRecords(this.outbox);
    const results = await this.sendAll(claimed, attempts, (record) => sentRecords.add(record), stopping);
    phases.mark('twilio');
    const accepted = claimed.flatMap((outbound) => {
      const result = results.get(outbound.notificationId);
      return result?.kind === 'sent' ? [{ outbound, sid: result.sid, status: result.status }] : [];
    });
    const callbackFirst = await sentRecords.stored();
    phases.mark('sentRecords');
    for (const { outbound, sid, status } of accepted) {
      // At debug: one line per message cost more than the batch's line below says in one.
      this.logger.debug({ notificationId: outbound.notificationId, ticket: outbound.ticketNumber, messageSid: sid, status }, 'SMS handed to Twilio');
      // A status callback that overtook the create answer (or its receipt) already said more than "queued".
      const overtaken = this.reported.take(outbound.notificationId) || callbackFirst.has(outbound.notificationId);
      if (!overtaken) receipts.push({ notificationId: outbound.notificationId, status: deliveryStatusOfTwilio(status) ?? 'queued', providerMessageId: sid, at: new Date() });
    }
    for (const outbound of claimed) {
      const result = results.get(outbound.notificationId);
      if (result?.kind === 'failed') {
        const receipt = await this.failed(outbound, attempts.get(outbound.notificationId) ?? 1, result.error);
        if (receipt) receipts.push(receipt);
        else if (receipt === null) again.set(outbound.notificationId, result.error);
      } else if (result?.kind === 'deferred') {
        again.set(outbound.notificationId, new Error(result.why));
      }
    }
    // Claims given back together (Twilio took none of these; the next delivery of each may send).
    await this.outbox.markRetryMany([...again.keys()], new Date());

    phases.mark('failures');
    await this.publisher.publishMany(receipts.map((r) => ({ topic: 'deliveries' as const, event: smsReceipt(r), key: r.notificationId })));
    phases.mark('receipts');
    // Where a batch's time goes (what limits throughput shows here first).
    this.logger.info({ batch: outbounds.length, sent: accepted.length, ms: phases.spent }, 'SMS batch handled');
    return again;
  }

  /** Numbers side by side (at most SMS_SEND_CONCURRENCY at once), each number's messages in order; `onSent` hears of each accepted one at once. */
  private async sendAll(outbounds: readonly OutboundMessage[], attempts: ReadonlyMap<string, number>, onSent: (record: SentRecord) => void, stopping?: AbortSignal): Promise<Map<string, SendResult>> {
    const results = new Map<string, SendResult>();
    const byNumber = new Map<string, OutboundMessage[]>();
    for (const outbound of outbounds) byNumber.set(outbound.contact.address, [...(byNumber.get(outbound.contact.address) ?? []), outbound]);
    const queue = [...byNumber.values()];
    const worker = async () => {
      for (let messages = queue.shift(); messages; messages = queue.shift()) {
        let held = false;
        for (const outbound of messages) {
          if (held) {
            results.set(outbound.notificationId, { kind: 'deferred', why: 'held back: an earlier message to the same number is to be tried again first' });
            continue;
          }
          if (stopping?.aborted) {
            results.set(outbound.notificationId, { kind: 'deferred', why: 'not sent: the service is stopping' });
            continue;
          }
          const result = await this.send(outbound);
          results.set(outbound.notificationId, result);
          if (result.kind === 'sent') {
            onSent({ notificationId: outbound.notificationId, to: outbound.contact.address, attempts: attempts.get(outbound.notificationId) ?? 1, messageSid: result.sid, createStatus: result.status });
          }
          held = result.kind === 'failed' && classify(result.error).kind === 'retry';
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.env.SMS_SEND_CONCURRENCY, queue.length) }, worker));
    return results;
  }

  private async send(outbound: OutboundMessage): Promise<SendResult> {
    try {
      const message = await this.twilio.messages.create({
        to: outbound.contact.address,
        body: outbound.text,
        statusCallback: statusCallbackUrl(this.env.SMS_PUBLIC_BASE_URL, outbound.notificationId),
        ...senderOf(this.env),
      });
      return { kind: 'sent', sid: message.sid, status: message.status };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /** The receipt of a refused message; null when it may be tried again; undefined when nothing is known. */
  private async failed(outbound: OutboundMessage, attempts: number, error: unknown): Promise<SmsReceiptInput | null | undefined> {
    const { notificationId } = outbound;
    const detail = error as { status?: unknown; code?: unknown; message?: unknown };
    const failure = classify(error);
    const message = typeof detail.message === 'string' ? detail.message : String(error);
    const log = { notificationId, err: message, status: detail.status, code: detail.code };
    switch (failure.kind) {
      case 'retry':
        // Its claim is given back with the batch's others (markRetryMany).
        this.logger.warn(log, 'Twilio did not take the SMS; will retry');
        return null;
      case 'unknown':
        // Left in `sending`: a status callback will tell if Twilio has it; a redelivery will not send twice.
        this.logger.error(log, 'sending an SMS ended without an answer; not retrying, to never text twice');
        return undefined;
      case 'refused':
        await this.outbox.markRefused({ notificationId, to: outbound.contact.address, attempts }, { code: failure.code, message }, new Date());
        if (failure.optedOut) await this.optOuts.record(outbound.contact.address, true, 'twilio:21610', notificationId, new Date());
        this.logger.warn(log, 'Twilio refused the SMS');
        return { notificationId, status: 'failed', error: { code: failure.code, message }, at: new Date() };
    }
  }

  /** A redelivered event: say again what happened the first time (same event ids), send nothing. */
  private repeat(existing: SmsOutboxDocument): SmsReceiptInput[] {
    const notificationId = existing._id;
    this.logger.info({ notificationId, state: existing.state }, 'notification already handled; not sending it again');
    if (existing.state === 'sent' && existing.messageSid && !existing.callbackStatus) {
      return [{ notificationId, status: deliveryStatusOfTwilio(existing.createStatus ?? '') ?? 'queued', providerMessageId: existing.messageSid, at: existing.updatedAt }];
    }
    if (existing.state === 'refused' && existing.error) return [{ notificationId, status: 'failed', error: existing.error, at: existing.updatedAt }];
    return [];
  }
}

/**
 * A batch's sent records, stored while its other messages are still with Twilio: each
 * SENT_RECORDS_PER_INSERT goes at once in one insertMany, so the database's writes overlap the
 * provider's calls instead of following them. `stored` gives the ids a status callback had
 * stored first. A failed write is kept and thrown by `stored`, never left as an unhandled rejection.
 */
class SentRecords {
  private pending: SentRecord[] = [];
  private readonly writes: Promise<void>[] = [];
  private readonly callbackFirst = new Set<string>();
  private error: unknown;

  constructor(private readonly outbox: SmsOutboxRepository) {}

  add(record: SentRecord): void {
    this.pending.push(record);
    if (this.pending.length >= SENT_RECORDS_PER_INSERT) this.flush();
  }

  async stored(): Promise<ReadonlySet<string>> {
    this.flush();
    await Promise.all(this.writes);
    if (this.error !== undefined) throw this.error;
    return this.callbackFirst;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = [];
    this.writes.push(
      this.outbox.storeSent(chunk, new Date()).then(
        (first) => first.forEach((id) => this.callbackFirst.add(id)),
        (error: unknown) => void (this.error ??= error ?? new Error('storing sent records failed')),
      ),
    );
  }
}

/**
 * Sent records per insert while a batch is with Twilio: small enough that a callback rarely
 * overtakes its record (then it stores the record itself), large enough that an insert is cheap per SMS.
 */
const SENT_RECORDS_PER_INSERT = 25;

/** Milliseconds spent in each named phase, in order. */
class PhaseClock {
  readonly spent: Record<string, number> = {};
  private last = performance.now();

  mark(phase: string): void {
    const now = performance.now();
    this.spent[phase] = Math.round(now - this.last);
    this.last = now;
  }
}

function classify(error: unknown) {
  const detail = error as { status?: unknown; code?: unknown };
  return classifySendFailure({
    httpStatus: typeof detail.status === 'number' ? detail.status : undefined,
    twilioCode: typeof detail.code === 'number' ? detail.code : undefined,
    networkCode: typeof detail.code === 'string' ? detail.code : undefined,
  });
}
