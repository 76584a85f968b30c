import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { publicWebhookUrl } from '@switchboard/channels';
import { SMS_ENV, SmsEnv } from './sms.config';

type WebhookRequest = IncomingMessage & { originalUrl: string; body?: unknown };

/**
 * `X-Twilio-Signature`: HMAC-SHA1 with our auth token over the URL Twilio called and the sorted
 * form parameters, checked by Twilio's own SDK. Anything else is refused before it is read.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(
    @Inject(SMS_ENV) private readonly env: SmsEnv,
    private readonly logger: PinoLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WebhookRequest>();
    const signature = request.headers['x-twilio-signature'];
    const url = publicWebhookUrl(this.env.SMS_PUBLIC_BASE_URL, request.originalUrl);
    if (typeof signature !== 'string' || signature === '') {
      this.logger.warn({ url }, 'Twilio webhook without X-Twilio-Signature refused');
      throw new ForbiddenException('missing X-Twilio-Signature');
    }
    const body = request.body;
    const params = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (!twilio.validateRequest(this.env.TWILIO_AUTH_TOKEN, signature, url, params)) {
      // The usual cause is a proxy: Twilio signed another URL than SMS_PUBLIC_BASE_URL + path.
      this.logger.warn({ url }, 'Twilio webhook with a signature that does not match refused');
      throw new ForbiddenException(`X-Twilio-Signature does not match (checked against ${url}; set SMS_PUBLIC_BASE_URL to the address Twilio calls)`);
    }
    return true;
  }
}
