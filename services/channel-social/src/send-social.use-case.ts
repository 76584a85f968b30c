import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  messengerTextRequest,
  ProviderRequest,
  readGraphSendResponse,
  readTelegramSendResponse,
  SendOutcome,
  SOCIAL_PROVIDERS,
  SocialProvider,
  telegramSendMessageRequest,
  whatsappTemplateLanguage,
  whatsappTemplateRequest,
  whatsappTextRequest,
  whatsappWindowOpen,
} from '@switchboard/channels';
import { OutboundMessage } from '@switchboard/contracts';
import { DeliveryReceipts } from './delivery-receipts';
import { ProviderHttpClient } from './provider-http.client';
import { SOCIAL_PROVIDERS_CONFIG, SocialProviders } from './social.config';
import { SocialContactRepository } from './social-contacts.repository';
import { SocialSendDocument, SocialSendRepository } from './social-sends.repository';

type How = Pick<SocialSendDocument, 'mode' | 'template'>;
type Plan = { request: ProviderRequest; read: (status: number, json: unknown) => SendOutcome; how: How; idOf?: (id: string) => string } | { refuse: { code: string; message: string }; how: How };

export class ProviderUnreachableError extends Error {
  override readonly name = 'ProviderUnreachableError';
}

/**
 * Sends one outbound message by the contact's provider, at most once per notification: the
 * notification is claimed in MongoDB before the call, and a redelivery only repeats the receipt.
 */
@Injectable()
export class SendSocialUseCase {
  constructor(
    @Inject(SOCIAL_PROVIDERS_CONFIG) private readonly providers: SocialProviders,
    private readonly sends: SocialSendRepository,
    private readonly contacts: SocialContactRepository,
    private readonly http: ProviderHttpClient,
    private readonly receipts: DeliveryReceipts,
    private readonly logger: PinoLogger,
  ) {}

  async execute(outbound: OutboundMessage, now = new Date()): Promise<void> {
    const { notificationId } = outbound;
    const provider = outbound.contact.provider as SocialProvider;
    if (!(SOCIAL_PROVIDERS as readonly string[]).includes(provider) || !this.providers[provider]) {
      this.logger.warn({ notificationId, provider }, 'no enabled social provider for this contact');
      await this.receipts.publish(notificationId, 'failed', { error: { code: 'provider-disabled', message: `social provider ${String(provider)} is not enabled` } });
      return;
    }
    const claim = await this.sends.claim(notificationId, provider, outbound.contact.address, now);
    if (!claim.claimed) return this.repeatOutcome(claim.earlier);

    const plan = await this.plan(provider, outbound, now);
    if ('refuse' in plan) return this.fail(notificationId, plan.refuse, plan.how);
    const call = await this.http.post(plan.request);
    if (call.kind === 'unreachable') {
      await this.sends.release(notificationId);
      // Thrown so the consumer retries with backoff (and dead-letters in the end); nothing left us yet.
      throw new ProviderUnreachableError(`${provider} API unreachable: ${call.reason}`);
    }
    // No answer: it may have arrived, so it is reported as an unknown outcome, which is never sent again on this channel.
    const outcome: SendOutcome = call.kind === 'answered' ? plan.read(call.status, call.json) : { ok: false, code: 'outcome-unknown', message: `no answer from ${provider}: ${call.reason}` };
    if (!outcome.ok) return this.fail(notificationId, { code: outcome.code, message: outcome.message }, plan.how);
    const providerMessageId = plan.idOf ? plan.idOf(outcome.providerMessageId) : outcome.providerMessageId;
    await this.sends.markSent(notificationId, provider, providerMessageId, now, plan.how);
    await this.receipts.publish(notificationId, 'sent', { providerMessageId });
    this.logger.info({ notificationId, provider, providerMessageId, ...plan.how }, 'social message sent');
  }

  private async plan(provider: SocialProvider, outbound: OutboundMessage, now: Date): Promise<Plan> {
    const to = outbound.contact.address;
    const { whatsapp, messenger, instagram, telegram } = this.providers;
    if (provider === 'whatsapp' && whatsapp) {
      if (whatsappWindowOpen(await this.contacts.lastInboundAt(outbound.contactKey), now)) {
        return { request: whatsappTextRequest(whatsapp.graph, whatsapp.phoneNumberId, to, outbound.text), read: readGraphSendResponse, how: { mode: 'text' } };
      }
      if (!whatsapp.templateName) {
        return { refuse: { code: 'window-closed', message: 'outside the 24-hour window and WHATSAPP_TEMPLATE_NAME is not set' }, how: { mode: 'template' } };
      }
      const template = { name: whatsapp.templateName, language: whatsappTemplateLanguage(outbound.language) };
      return { request: whatsappTemplateRequest(whatsapp.graph, whatsapp.phoneNumberId, to, template, outbound.text), read: readGraphSendResponse, how: { mode: 'template', template } };
    }
    if (provider === 'messenger' && messenger) return { request: messengerTextRequest(messenger.graph, messenger.node, to, outbound.text), read: readGraphSendResponse, how: { mode: 'text' } };
    if (provider === 'instagram' && instagram) return { request: messengerTextRequest(instagram.graph, instagram.node, to, outbound.text), read: readGraphSendResponse, how: { mode: 'text' } };
    if (provider === 'telegram' && telegram) {
      return {
        request: telegramSendMessageRequest(telegram.apiBaseUrl, telegram.botToken, to, outbound.text),
        read: readTelegramSendResponse,
        how: { mode: 'text' },
        // Telegram message ids count per chat, as on the way in.
        idOf: (id) => `${to}:${id}`,
      };
    }
    throw new Error(`unreachable: provider ${provider} has no plan`);
  }

  private async fail(notificationId: string, error: { code: string; message: string }, how: How): Promise<void> {
    await this.sends.markFailed(notificationId, error, how);
    await this.receipts.publish(notificationId, 'failed', { error });
    this.logger.warn({ notificationId, code: error.code, err: error.message, ...how }, 'social message not sent');
  }

  /** A redelivered notification: say again what happened (same receipt ids), never send again. */
  private async repeatOutcome(earlier: SocialSendDocument): Promise<void> {
    this.logger.info({ notificationId: earlier._id, state: earlier.state }, 'notification already handled; not sending again');
    if (earlier.state === 'sent') return this.receipts.publish(earlier._id, 'sent', { providerMessageId: earlier.providerMessageId });
    if (earlier.state === 'failed') return this.receipts.publish(earlier._id, 'failed', { error: earlier.error });
    // An earlier attempt died between the call and its record: it may have gone out, so it is not repeated.
    await this.sends.markFailed(earlier._id, { code: 'outcome-unknown', message: 'an earlier attempt was interrupted; not sent again' }, {});
    await this.receipts.publish(earlier._id, 'failed', { error: { code: 'outcome-unknown', message: 'an earlier attempt was interrupted; not sent again' } });
  }
}
