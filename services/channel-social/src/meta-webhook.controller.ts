import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Post, Query, RawBodyRequest, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { answerVerifyChallenge, MetaProvider, parseMessengerWebhook, parseWhatsappWebhook, verifyMetaSignature } from '@switchboard/channels';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';
import { MetaWebhookSettings, SOCIAL_PROVIDERS_CONFIG, SocialProviders } from './social.config';

type RawRequest = RawBodyRequest<IncomingMessage>;

/**
 * Meta's webhooks, one callback URL per product: `GET` answers the subscription handshake,
 * `POST` carries messages and statuses signed with the app secret.
 */
@Controller('webhooks')
export class MetaWebhookController {
  constructor(
    @Inject(SOCIAL_PROVIDERS_CONFIG) private readonly providers: SocialProviders,
    private readonly receive: ReceiveWebhookUseCase,
    private readonly logger: PinoLogger,
  ) {}

  @Get('whatsapp')
  verifyWhatsapp(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: ServerResponse): string {
    return this.verify('whatsapp', query, response);
  }

  @Get('messenger')
  verifyMessenger(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: ServerResponse): string {
    return this.verify('messenger', query, response);
  }

  @Get('instagram')
  verifyInstagram(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: ServerResponse): string {
    return this.verify('instagram', query, response);
  }

  @Post('whatsapp')
  @HttpCode(200)
  whatsapp(@Req() request: RawRequest, @Body() body: unknown): Promise<string> {
    return this.accept('whatsapp', request, body);
  }

  @Post('messenger')
  @HttpCode(200)
  messenger(@Req() request: RawRequest, @Body() body: unknown): Promise<string> {
    return this.accept('messenger', request, body);
  }

  @Post('instagram')
  @HttpCode(200)
  instagram(@Req() request: RawRequest, @Body() body: unknown): Promise<string> {
    return this.accept('instagram', request, body);
  }

  private settings(provider: MetaProvider): MetaWebhookSettings {
    const settings = this.providers[provider];
    if (!settings) throw new NotFoundException(`${provider} is not enabled on this deployment`);
    return settings;
  }

  private verify(provider: MetaProvider, query: Record<string, unknown>, response: ServerResponse): string {
    const challenge = answerVerifyChallenge(query, this.settings(provider).verifyToken);
    if (challenge === null) {
      this.logger.warn({ provider, mode: query['hub.mode'] }, 'webhook verification refused');
      throw new ForbiddenException('verification refused');
    }
    this.logger.info({ provider }, 'webhook subscription verified');
    // Meta compares the body with its challenge byte for byte: plain text, not JSON.
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return challenge;
  }

  private async accept(provider: MetaProvider, request: RawRequest, body: unknown): Promise<string> {
    const settings = this.settings(provider);
    if (!request.rawBody) throw new BadRequestException('expected a JSON body (Content-Type: application/json)');
    if (!verifyMetaSignature(request.rawBody, request.headers['x-hub-signature-256'], settings.appSecret)) {
      this.logger.warn({ provider, signed: request.headers['x-hub-signature-256'] !== undefined }, 'webhook signature refused');
      throw new ForbiddenException('X-Hub-Signature-256 missing or does not match');
    }
    const parsed = provider === 'whatsapp' ? parseWhatsappWebhook(body) : parseMessengerWebhook(provider, body);
    if (!parsed.ok) {
      this.logger.warn({ provider, problems: parsed.problems.slice(0, 10) }, 'webhook body is not a Meta envelope');
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `not a ${provider} webhook`, problems: parsed.problems.slice(0, 20) });
    }
    await this.receive.execute(provider, parsed.batch);
    return 'EVENT_RECEIVED';
  }
}
