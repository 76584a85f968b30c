import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Twilio } from 'twilio';
import { classifySendFailure, receiptOfTwilioMessage } from '@switchboard/channels';
import { DeliveryCheck, DeliveryReceipt } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { SMS_ENV, SmsEnv } from './sms.config';
import { TWILIO_CLIENT } from './twilio-client';

/**
 * Asks Twilio what became of messages whose status callbacks never came (`GET /Messages/{Sid}`,
 * the SDK's `messages(sid).fetch()`), and publishes the receipt a final status implies, under the
 * event id its callback's receipt has: a late callback and a check are recorded once, and the
 * notifier follows an `undelivered` or `failed` up as it would a callback's (retry, fallback).
 * A status not final yet, a message Twilio does not know (404), or a notification without a SID
 * (the send's outcome is unknown) publishes nothing and is logged. Writes nothing.
 */
@Injectable()
export class CheckDeliveryUseCase {
  constructor(
    @Inject(TWILIO_CLIENT) private readonly twilio: Twilio,
    @Inject(SMS_ENV) private readonly env: SmsEnv,
    private readonly outbox: SmsOutboxRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * Returns the checks to try again (Twilio unreachable or asking to come back), with why. Once
   * `signal` is aborted (the service is stopping) no new call starts: the checks not asked yet are
   * returned too, and the consumer leaves them for redelivery.
   */
  async executeBatch(checks: readonly DeliveryCheck[], signal?: AbortSignal): Promise<Map<string, unknown>> {
    const again = new Map<string, unknown>();
    const ours = checks.filter((c) => c.channel === 'sms');
    const unknownSid = ours.filter((c) => !c.providerMessageId).map((c) => c.notificationId);
    const sids = unknownSid.length > 0 ? await this.outbox.sidsOf(unknownSid) : new Map<string, string>();
    const work = ours.flatMap((c) => {
      const sid = c.providerMessageId ?? sids.get(c.notificationId);
      if (sid) return [{ check: c, sid }];
      this.logger.warn({ notificationId: c.notificationId, check: c.check }, 'SMS status check: no Message SID (the send ended without an answer); nothing to ask Twilio');
      return [];
    });
    const receipts: DeliveryReceipt[] = [];
    const queue = [...work];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { check, sid } = item;
        if (signal?.aborted) {
          again.set(check.eventId, new Error('stopping: not asked'));
          continue;
        }
        const log = { notificationId: check.notificationId, check: check.check, messageSid: sid };
        try {
          const message = await this.twilio.messages(sid).fetch();
          const outcome = receiptOfTwilioMessage(check.notificationId, { sid: message.sid, status: message.status, errorCode: message.errorCode, errorMessage: message.errorMessage }, new Date());
          if (outcome.kind === 'receipt') {
            receipts.push(outcome.receipt);
            this.logger.info({ ...log, status: outcome.receipt.status, errorCode: outcome.receipt.error?.code }, 'SMS status check: Twilio reports a final status');
          } else this.logger.info({ ...log, twilioStatus: outcome.twilioStatus }, 'SMS status check: not final yet at Twilio; nothing to report');
        } catch (error) {
          const detail = error as { status?: unknown; code?: unknown; message?: unknown };
          const failure = classifySendFailure({
            httpStatus: typeof detail.status === 'number' ? detail.status : undefined,
            twilioCode: typeof detail.code === 'number' ? detail.code : undefined,
            networkCode: typeof detail.code === 'string' ? detail.code : undefined,
          });
          const err = typeof detail.message === 'string' ? detail.message : String(error);
          if (detail.status === 404) this.logger.warn({ ...log, err }, 'SMS status check: Twilio does not know the message; nothing to report');
          else if (failure.kind === 'refused') this.logger.warn({ ...log, err, status: detail.status, code: detail.code }, 'SMS status check refused by Twilio; nothing to report');
          else {
            // Nothing changes by asking: asking again later is all it costs.
            this.logger.warn({ ...log, err, status: detail.status, code: detail.code }, 'SMS status check: Twilio did not answer; will ask again');
            again.set(check.eventId, error);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.env.SMS_SEND_CONCURRENCY, queue.length) }, worker));
    await this.publisher.publishMany(receipts.map((event) => ({ topic: 'deliveries' as const, event, key: event.notificationId })));
    return again;
  }
}
