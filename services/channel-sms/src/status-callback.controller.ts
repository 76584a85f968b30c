import { Body, Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deliveryStatusOfTwilio, smsReceipt, STATUS_WEBHOOK_PATH, statusCallbackQuerySchema, twilioStatusCallbackSchema } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { parseOr400 } from './parse-or-400';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/** Twilio's StatusCallback for messages we sent: each step becomes a receipt on `deliveries`. */
@Controller()
@UseGuards(TwilioSignatureGuard)
export class StatusCallbackController {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly outbox: SmsOutboxRepository,
    private readonly logger: PinoLogger,
  ) {}

  @Post(STATUS_WEBHOOK_PATH)
  @HttpCode(204)
  async report(@Query() query: unknown, @Body() body: unknown): Promise<void> {
    const { notificationId } = parseOr400(statusCallbackQuerySchema, query, 'the callback URL query');
    const params = parseOr400(twilioStatusCallbackSchema, body, 'the status callback parameters');
    const status = deliveryStatusOfTwilio(params.MessageStatus);
    const log = { notificationId, messageSid: params.MessageSid, twilioStatus: params.MessageStatus, errorCode: params.ErrorCode };
    if (!status) {
      this.logger.info(log, 'status without a receipt ignored');
      return;
    }
    const error =
      params.ErrorCode || status === 'failed' || status === 'undelivered'
        ? { ...(params.ErrorCode ? { code: params.ErrorCode } : {}), message: `Twilio reported ${params.MessageStatus}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}` }
        : undefined;
    await this.publisher.publish('deliveries', smsReceipt({ notificationId, status, providerMessageId: params.MessageSid, error, at: new Date() }), { key: notificationId });
    await this.outbox.recordCallback(notificationId, params.MessageSid, params.MessageStatus, new Date());
    this.logger.info(log, 'SMS status');
  }
}
