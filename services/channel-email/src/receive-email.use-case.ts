import { Inject, Injectable } from '@nestjs/common';
import { deterministicId, InboundMessage } from '@switchboard/contracts';
import { Bounce, EmailRejection, isBounce, normaliseInboundEmail, readBounce } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { EMAIL_ENV, EmailEnv } from './email.config';
import { parseEmail } from './parse-email';

export type ReceiveOutcome =
  | { kind: 'inbound'; inbound: InboundMessage }
  | { kind: 'bounce'; notificationIds: string[]; outcome?: 'failed' | 'delivered'; statusCode?: string }
  | { kind: 'own'; from: string };

/**
 * One received mail, decided: a customer message goes to `inbound`, a bounce of one of our mails
 * becomes `failed` receipts, our own mail coming back is dropped. Whatever is published is
 * published before this returns, so the SMTP reply can promise it is kept.
 */
@Injectable()
export class ReceiveEmailUseCase {
  constructor(
    @Inject(EMAIL_ENV) private readonly env: EmailEnv,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(raw: Buffer, envelopeRecipients: readonly string[], now: Date): Promise<ReceiveOutcome> {
    const email = await parseEmail(raw, envelopeRecipients).catch((error: unknown) => {
      throw new EmailRejection(`the message could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const from = email.from?.address.trim().toLowerCase();
    if (from && this.env.EMAIL_OWN_ADDRESSES.includes(from)) return { kind: 'own', from };

    if (isBounce(email.headers, from)) {
      const bounce = readBounce(raw.toString('latin1'), this.env.EMAIL_DOMAINS);
      const status = bounce.outcome;
      // Interim reports (delayed, relayed) change nothing the customer or agent needs to know.
      if (status) for (const notificationId of bounce.notificationIds) await this.report(notificationId, status, bounce, now);
      return { kind: 'bounce', notificationIds: bounce.notificationIds, ...(status ? { outcome: status } : {}), ...(bounce.statusCode ? { statusCode: bounce.statusCode } : {}) };
    }

    const inbound = normaliseInboundEmail(email, { domains: this.env.EMAIL_DOMAINS, trustedAuthservId: this.env.EMAIL_TRUSTED_AUTHSERV_ID, receivedAt: now });
    await this.publisher.publish('inbound', inbound, { key: inbound.contactKey });
    return { kind: 'inbound', inbound };
  }

  private report(notificationId: string, status: 'failed' | 'delivered', bounce: Bounce, now: Date): Promise<void> {
    return this.publisher.publish(
      'deliveries',
      {
        schemaVersion: 1,
        eventId: deterministicId('delivery', notificationId, status, 'dsn'),
        notificationId,
        channel: 'email',
        status,
        ...(status === 'failed' ? { error: { ...(bounce.statusCode ? { code: bounce.statusCode } : {}), message: bounce.diagnostic ?? 'the mail bounced' } } : {}),
        occurredAt: now.toISOString(),
      },
      { key: notificationId },
    );
  }
}
