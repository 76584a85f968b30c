import { Body, Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { inboundSmsIntent, TwilioInboundSms, SMS_WEBHOOK_PATH, twilioInboundSmsSchema } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { SmsOptOutRepository } from './opt-out.repository';
import { parseOr400 } from './parse-or-400';
import { SMS_ENV, SmsEnv } from './sms.config';
import { TwilioSignatureGuard } from './twilio-signature.guard';

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/**
 * Twilio's "A message comes in" webhook. A message is on the bus (acknowledged by the brokers)
 * before we answer, and the answer is empty TwiML: the reply comes later, from the notifier.
 * STOP/START/HELP are handled here and never become tickets.
 */
@Controller()
@UseGuards(TwilioSignatureGuard)
export class InboundSmsController {
  private readonly helpTwiml: string;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly optOuts: SmsOptOutRepository,
    private readonly logger: PinoLogger,
    @Inject(SMS_ENV) env: SmsEnv,
  ) {
    const help = new twilio.twiml.MessagingResponse();
    help.message(env.SMS_HELP_TEXT);
    this.helpTwiml = help.toString();
  }

  @Post(SMS_WEBHOOK_PATH)
  @HttpCode(200)
  async receive(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const twiml = await this.handle(parseOr400(twilioInboundSmsSchema, body, 'the webhook parameters'));
    // Set here, not by decorator, so a 400 or 500 keeps its JSON content type.
    response.setHeader('Content-Type', 'text/xml; charset=utf-8');
    return twiml;
  }

  private async handle(params: TwilioInboundSms): Promise<string> {
    const intent = inboundSmsIntent(params, new Date());
    const log = { messageSid: params.MessageSid, from: params.From };
    switch (intent.kind) {
      case 'message':
        await this.publisher.publish('inbound', intent.message, { key: intent.message.contactKey });
        this.logger.info({ ...log, eventId: intent.message.eventId, media: intent.message.attachments.length }, 'SMS received');
        return EMPTY_TWIML;
      case 'empty':
        this.logger.info(log, 'empty SMS ignored');
        return EMPTY_TWIML;
      case 'keyword': {
        if (intent.keyword === 'help') {
          this.logger.info(log, 'HELP answered');
          return this.helpTwiml;
        }
        const optedOut = intent.keyword === 'stop';
        await this.optOuts.record(params.From, optedOut, params.Body.trim().toUpperCase() || intent.keyword, params.MessageSid, new Date());
        this.logger.info({ ...log, keyword: intent.keyword }, optedOut ? 'number opted out of SMS' : 'number opted back in to SMS');
        // Twilio (Advanced Opt-Out) or the carrier confirms STOP and START to the customer itself.
        return EMPTY_TWIML;
      }
    }
  }
}
