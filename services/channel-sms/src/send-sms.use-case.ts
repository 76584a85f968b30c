import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Twilio } from 'twilio';
import { classifySendFailure, deliveryStatusOfTwilio, OPTED_OUT_CODE, smsReceipt, SmsReceiptInput, statusCallbackUrl } from '@switchboard/channels';
import { OutboundMessage } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { SmsOptOutRepository } from './opt-out.repository';
import { SmsOutboxDocument, SmsOutboxRepository } from './sms-outbox.repository';
import { SMS_ENV, SmsEnv, senderOf } from './sms.config';
import { TWILIO_CLIENT } from './twilio-client';

/**
 * Sends one notification as an SMS through Twilio's Messages API, at most once per notification
 * id, never to a number that texted STOP, and reports what happened on `deliveries`.
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
  ) {}

  async execute(outbound: OutboundMessage): Promise<void> {
    const { notificationId } = outbound;
    const to = outbound.contact.address;
    const log = { notificationId, ticket: outbound.ticketNumber };
    if (await this.optOuts.isOptedOut(to)) {
      this.logger.info(log, 'not sending: the number texted STOP');
      return this.receipt({ notificationId, status: 'failed', error: { code: OPTED_OUT_CODE, message: 'the recipient opted out (texted STOP); START opts back in' }, at: new Date() });
    }

    const claim = await this.outbox.claim(notificationId, to, new Date());
    if (!claim.claimed) return this.repeat(claim.existing);

    let message: { sid: string; status: string };
    try {
      message = await this.twilio.messages.create({
        to,
        body: outbound.text,
        statusCallback: statusCallbackUrl(this.env.SMS_PUBLIC_BASE_URL, notificationId),
        ...senderOf(this.env),
      });
    } catch (error) {
      return this.failed(outbound, error);
    }

    const record = await this.outbox.markSent(notificationId, message.sid, message.status, new Date());
    this.logger.info({ ...log, messageSid: message.sid, status: message.status }, 'SMS handed to Twilio');
    // A status callback that overtook the create answer already said more than "queued".
    if (record?.callbackStatus) return;
    await this.receipt({ notificationId, status: deliveryStatusOfTwilio(message.status) ?? 'queued', providerMessageId: message.sid, at: new Date() });
  }

  private async failed(outbound: OutboundMessage, error: unknown): Promise<void> {
    const { notificationId } = outbound;
    const detail = error as { status?: unknown; code?: unknown; message?: unknown };
    const failure = classifySendFailure({
      httpStatus: typeof detail.status === 'number' ? detail.status : undefined,
      twilioCode: typeof detail.code === 'number' ? detail.code : undefined,
      networkCode: typeof detail.code === 'string' ? detail.code : undefined,
    });
    const message = typeof detail.message === 'string' ? detail.message : String(error);
    const log = { notificationId, err: message, status: detail.status, code: detail.code };
    switch (failure.kind) {
      case 'retry':
        await this.outbox.markRetry(notificationId, new Date());
        this.logger.warn(log, 'Twilio did not take the SMS; will retry');
        throw error;
      case 'unknown':
        // Left in `sending`: a status callback will tell if Twilio has it; a redelivery will not send twice.
        this.logger.error(log, 'sending an SMS ended without an answer; not retrying, to never text twice');
        return;
      case 'refused':
        await this.outbox.markRefused(notificationId, { code: failure.code, message }, new Date());
        if (failure.optedOut) await this.optOuts.record(outbound.contact.address, true, 'twilio:21610', notificationId, new Date());
        this.logger.warn(log, 'Twilio refused the SMS');
        return this.receipt({ notificationId, status: 'failed', error: { code: failure.code, message }, at: new Date() });
    }
  }

  /** A redelivered event: say again what happened the first time (same event ids), send nothing. */
  private async repeat(existing: SmsOutboxDocument): Promise<void> {
    const notificationId = existing._id;
    this.logger.info({ notificationId, state: existing.state }, 'notification already handled; not sending it again');
    if (existing.state === 'sent' && existing.messageSid && !existing.callbackStatus) {
      await this.receipt({ notificationId, status: deliveryStatusOfTwilio(existing.createStatus ?? '') ?? 'queued', providerMessageId: existing.messageSid, at: existing.updatedAt });
    } else if (existing.state === 'refused' && existing.error) {
      await this.receipt({ notificationId, status: 'failed', error: existing.error, at: existing.updatedAt });
    }
  }

  private receipt(input: SmsReceiptInput): Promise<void> {
    return this.publisher.publish('deliveries', smsReceipt(input), { key: input.notificationId });
  }
}
