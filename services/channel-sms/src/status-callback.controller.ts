import { Body, Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deliveryStatusOfTwilio, STATUS_WEBHOOK_PATH, statusCallbackQuerySchema, twilioStatusCallbackSchema } from '@switchboard/channels';
import { parseOr400 } from './parse-or-400';
import { StatusCallbackBatcher } from './status-callback-batcher';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/** Twilio's StatusCallback for messages we sent: each step becomes a receipt on `deliveries`. */
@Controller()
@UseGuards(TwilioSignatureGuard)
export class StatusCallbackController {
  constructor(
    private readonly callbacks: StatusCallbackBatcher,
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
    // Answered once the receipt is on `deliveries` and the outbox knows: stored with the callbacks that came in meanwhile.
    await this.callbacks.submit({ receipt: { notificationId, status, providerMessageId: params.MessageSid, error, at: new Date() }, messageSid: params.MessageSid, twilioStatus: params.MessageStatus });
    this.logger.info(log, 'SMS status');
  }
}
