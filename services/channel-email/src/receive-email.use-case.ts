import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deterministicId, InboundMessage } from '@switchboard/contracts';
import { Bounce, EmailRejection, isBounce, normaliseInboundEmail, readBounce } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { EMAIL_ENV, EmailEnv } from './email.config';
import { parseEmail } from './parse-email';

export type ReceiveOutcome =
  | { kind: 'inbound'; inbound: InboundMessage }
  | { kind: 'bounce'; notificationIds: string[]; outcome?: 'failed' | 'delivered'; statusCode?: string }
  | { kind: 'own'; from: string };

class PublishTimeout extends Error {}

/**
 * A mail waiting on a stuck broker is given up on (the sender retries, or IMAP re-reads it); a
 * publish that completes after all is harmless, since the retried mail has the same event id and
 * is de-duplicated downstream.
 */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublishTimeout(`no answer from Kafka within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One received mail, decided: a customer message goes to `inbound`, a bounce of one of our mails
 * becomes `failed` receipts, our own mail coming back is dropped. Whatever is published is
 * published before this returns, so the SMTP reply (or the IMAP \Seen flag) can promise it is
 * kept. The one path for every mail, however it arrived (SMTP ingress, IMAP poller).
 */
@Injectable()
export class ReceiveEmailUseCase {
  constructor(
    @Inject(EMAIL_ENV) private readonly env: EmailEnv,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * `execute` within EMAIL_PUBLISH_TIMEOUT_MS, with the outcome logged (`fields` say where the
   * mail came from). Throws EmailRejection for a mail that can never be taken, anything else for
   * a failure worth retrying (logged here too).
   */
  async receive(raw: Buffer, envelopeRecipients: readonly string[], fields: Record<string, unknown>): Promise<ReceiveOutcome> {
    try {
      const outcome = await withTimeout(this.execute(raw, envelopeRecipients, new Date()), this.env.EMAIL_PUBLISH_TIMEOUT_MS);
      switch (outcome.kind) {
        case 'inbound':
          this.logger.info({ ...fields, eventId: outcome.inbound.eventId, messageId: outcome.inbound.providerMessageId, autoSubmitted: outcome.inbound.autoSubmitted }, 'mail published to inbound');
          break;
        case 'bounce':
          this.logger.info(
            { ...fields, notificationIds: outcome.notificationIds, outcome: outcome.outcome, statusCode: outcome.statusCode },
            outcome.notificationIds.length && outcome.outcome ? `delivery report recorded as ${outcome.outcome}` : 'delivery report with nothing to record, dropped',
          );
          break;
        case 'own':
          this.logger.warn({ ...fields, own: outcome.from }, 'dropped mail from our own address');
          break;
      }
      return outcome;
    } catch (error) {
      if (error instanceof EmailRejection) this.logger.info({ ...fields, reason: error.message }, 'refused a malformed mail');
      else this.logger.error({ ...fields, err: error instanceof Error ? error.message : String(error) }, 'could not publish a mail, it will be retried');
      throw error;
    }
  }

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
