import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { composeOutboundEmail } from '@switchboard/channels';
import { deterministicId, DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { EMAIL_ENV, EmailEnv, messageIdDomain } from './email.config';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailTransport } from './email-transport';

/** nodemailer's error for an SMTP refusal carries the reply code; a network problem carries none. */
function smtpCodeOf(error: unknown): number | undefined {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Sends one notification by mail, once: the outbox record keyed by notification id is claimed
 * before sending. A permanent refusal (5xx) is a `failed` receipt with the SMTP code; a temporary
 * one (4xx, relay unreachable) releases the claim and throws, so the consumer retries it.
 */
@Injectable()
export class SendEmailUseCase {
  constructor(
    @Inject(EMAIL_ENV) private readonly env: EmailEnv,
    private readonly outbox: EmailOutboxRepository,
    private readonly transport: EmailTransport,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
  ) {}

  async execute(outbound: OutboundMessage): Promise<void> {
    const mail = composeOutboundEmail(outbound, messageIdDomain(this.env));
    const claim = await this.outbox.claim({ _id: outbound.notificationId, ticketNumber: outbound.ticketNumber, to: outbound.contact.address, messageId: mail.messageId }, new Date());
    if (claim !== true) {
      this.logger.info({ notificationId: outbound.notificationId, status: claim.status }, 'notification already handled, not sending it again');
      // The receipt may not have gone out before a crash; the same event id makes repeating it harmless.
      if (claim.status === 'sent') await this.receipt(outbound, 'sent', claim.messageId);
      if (claim.status === 'failed') await this.receipt(outbound, 'failed', claim.messageId, claim.error);
      if (claim.status === 'sending') {
        // A run that died mid-send: the mail may have gone, so it is not sent again; mail has no
        // status callback to settle it later, so the notification is marked failed now (visible to agents).
        const unknown = { code: 'outcome-unknown', message: 'an earlier attempt was interrupted; not sent again' };
        await this.outbox.finish(outbound.notificationId, 'failed', new Date(), unknown);
        await this.receipt(outbound, 'failed', claim.messageId, unknown);
      }
      return;
    }

    try {
      await this.transport.send(mail);
    } catch (error) {
      const code = smtpCodeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      if (code !== undefined && code >= 500) {
        const failure = { code: String(code), message: message.slice(0, 2_000) };
        await this.outbox.finish(outbound.notificationId, 'failed', new Date(), failure);
        this.logger.warn({ notificationId: outbound.notificationId, code }, 'relay refused the mail');
        await this.receipt(outbound, 'failed', mail.messageId, failure);
        return;
      }
      await this.outbox.finish(outbound.notificationId, 'retry', new Date(), { ...(code ? { code: String(code) } : {}), message: message.slice(0, 2_000) });
      throw error;
    }
    await this.outbox.finish(outbound.notificationId, 'sent', new Date());
    this.logger.info({ notificationId: outbound.notificationId, messageId: mail.messageId, ticket: outbound.ticketNumber }, 'mail sent');
    await this.receipt(outbound, 'sent', mail.messageId);
  }

  private receipt(outbound: OutboundMessage, status: 'sent' | 'failed', messageId: string, error?: DeliveryReceipt['error']): Promise<void> {
    return this.publisher.publish(
      'deliveries',
      {
        schemaVersion: 1,
        eventId: deterministicId('delivery', outbound.notificationId, status),
        notificationId: outbound.notificationId,
        channel: 'email',
        status,
        providerMessageId: messageId,
        ...(error ? { error } : {}),
        occurredAt: new Date().toISOString(),
      },
      { key: outbound.notificationId },
    );
  }
}
