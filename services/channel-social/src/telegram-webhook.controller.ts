import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, Inject, NotFoundException, Post, RawBodyRequest, Req } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { parseTelegramUpdate, verifyTelegramSecret } from '@switchboard/channels';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';
import { SOCIAL_PROVIDERS_CONFIG, SocialProviders } from './social.config';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const SECRET = Symbol('telegram-secret');
type TelegramRequest = RawBodyRequest<IncomingMessage> & { [SECRET]?: string | string[] };

/**
 * Runs before the request logger: the secret header is moved off the request so it never reaches
 * the logs (they print request headers), and read from here by the controller.
 */
export function holdTelegramSecret(request: TelegramRequest, _response: ServerResponse, next: () => void): void {
  if (request.headers[SECRET_HEADER] !== undefined) {
    request[SECRET] = request.headers[SECRET_HEADER];
    delete request.headers[SECRET_HEADER];
  }
  next();
}

/** Telegram bot webhook (`setWebhook` with `secret_token`): one update per call. */
@Controller('webhooks/telegram')
export class TelegramWebhookController {
  constructor(
    @Inject(SOCIAL_PROVIDERS_CONFIG) private readonly providers: SocialProviders,
    private readonly receive: ReceiveWebhookUseCase,
    private readonly logger: PinoLogger,
  ) {}

  @Post()
  @HttpCode(200)
  async update(@Req() request: TelegramRequest, @Body() body: unknown): Promise<{ ok: true }> {
    const telegram = this.providers.telegram;
    if (!telegram) throw new NotFoundException('telegram is not enabled on this deployment');
    if (!verifyTelegramSecret(request[SECRET] ?? request.headers[SECRET_HEADER], telegram.webhookSecret)) {
      this.logger.warn({ provider: 'telegram', given: request[SECRET] !== undefined }, 'webhook secret refused');
      throw new ForbiddenException('X-Telegram-Bot-Api-Secret-Token missing or wrong');
    }
    if (!request.rawBody) throw new BadRequestException('expected a JSON body (Content-Type: application/json)');
    const parsed = parseTelegramUpdate(body);
    if (parsed.kind === 'bad') throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'not a Telegram update', problems: parsed.problems.slice(0, 20) });
    // Anything but a 2xx makes Telegram re-send the update forever; what we do not handle is acknowledged.
    if (parsed.kind === 'ignored') this.logger.info({ provider: 'telegram', reason: parsed.reason }, 'telegram update ignored');
    else await this.receive.execute('telegram', { messages: [parsed.message], statuses: [], skipped: [] });
    return { ok: true };
  }
}
