import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ZodError } from 'zod';
import { ProviderStatusUpdate, SocialProvider, WebhookBatch } from '@switchboard/channels';
import { InboundMessage } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { DeliveryReceipts } from './delivery-receipts';
import { SocialContactRepository } from './social-contacts.repository';
import { SocialSendRepository } from './social-sends.repository';

/**
 * Everything in an accepted webhook reaches Kafka before the provider hears 200: customer messages
 * on `inbound`, statuses of what we sent on `deliveries`. Items that did not parse are logged and dropped.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly contacts: SocialContactRepository,
    private readonly sends: SocialSendRepository,
    private readonly receipts: DeliveryReceipts,
    private readonly logger: PinoLogger,
  ) {}

  async execute(provider: SocialProvider, batch: WebhookBatch): Promise<void> {
    for (const item of batch.skipped) this.logger.warn({ provider, path: item.path, reason: item.reason }, 'webhook item skipped');
    // One customer's messages stay in order; different customers go out side by side.
    const byContact = new Map<string, InboundMessage[]>();
    for (const message of batch.messages) byContact.set(message.contactKey, [...(byContact.get(message.contactKey) ?? []), message]);
    await Promise.all(
      [...byContact.values()].map(async (messages) => {
        for (const message of messages) await this.skipInvalid(provider, () => this.accept(message));
      }),
    );
    await Promise.all(batch.statuses.map((status) => this.skipInvalid(provider, () => this.applyStatus(status))));
  }

  /**
   * An item the event schema refuses would fail on every re-send of the batch; it is dropped like
   * any malformed item. Anything else (broker, database) fails the request, so the provider retries.
   */
  private async skipInvalid(provider: SocialProvider, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      this.logger.warn({ provider, reason: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 'webhook item skipped');
    }
  }

  private async accept(message: InboundMessage): Promise<void> {
    await this.contacts.recordInbound(message.contactKey, message.provider, message.contact.address, new Date(message.receivedAt));
    await this.publisher.publish('inbound', message, { key: message.contactKey });
    this.logger.info({ provider: message.provider, providerMessageId: message.providerMessageId, eventId: message.eventId }, 'inbound message published');
  }

  private async applyStatus(update: ProviderStatusUpdate): Promise<void> {
    if ('providerMessageId' in update.target) {
      const notificationId = await this.sends.notificationOf(update.provider, update.target.providerMessageId);
      if (!notificationId) {
        this.logger.info({ provider: update.provider, providerMessageId: update.target.providerMessageId, status: update.status }, 'status of a message we did not send');
        return;
      }
      await this.receipts.publish(notificationId, update.status, { providerMessageId: update.target.providerMessageId, error: update.error, at: update.at });
      return;
    }
    const sent = await this.sends.sentUpTo(update.provider, update.target.recipient, update.target.sentUpTo);
    await Promise.all(sent.map((s) => this.receipts.publish(s._id, update.status, { providerMessageId: s.providerMessageId, at: update.at })));
  }
}
