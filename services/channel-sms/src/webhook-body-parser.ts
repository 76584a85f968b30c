import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { SMS_ENV, SmsEnv } from './sms.config';
import { StatusCallbackRoute } from './status-callback.route';

/**
 * Twilio posts application/x-www-form-urlencoded. Registered while the app is being built, before
 * Nest adds its default parsers, so it replaces Nest's (100 kB, nested `qs` objects): flat
 * parameters as Twilio signs them, a repeated one as an array (refused by the schema), and a
 * body over the limit answered 413 before anything reads it.
 *
 * It takes the status callback route so that Nest builds that first: Express runs what was
 * registered first, and the route reads its body itself, which a parser before it would consume.
 */
@Injectable()
export class WebhookBodyParser {
  constructor(adapterHost: HttpAdapterHost, @Inject(SMS_ENV) env: SmsEnv, _statusCallbacksFirst: StatusCallbackRoute) {
    (adapterHost.httpAdapter as ExpressAdapter).useBodyParser('urlencoded', false, { extended: false, limit: env.SMS_WEBHOOK_BODY_LIMIT, parameterLimit: 200 });
  }
}
