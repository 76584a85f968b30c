import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { composeOutboundEmail } from '@switchboard/channels';
import { deterministicId, DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, PublishEntry } from '@switchboard/messaging';
import { EMAIL_ENV, EmailEnv, messageIdDomain } from './email.config';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailTransport } from './email-transport';

/** `work` for every item, at most `limit` at a time. */
async function forEachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

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

  /**
   * A consumer batch: new notifications claimed in one insert, their mails sent side by side over
   * the relay pool (one customer's one after another), the sent ones marked in one update and
   * every receipt published in one produce request. Under load each of those writes waited seconds
   * for the database's one write lock; two per mail, one mail at a time per partition, is what
   * kept acknowledgements waiting 7-17 s before this channel took them. A redelivered
   * notification goes the one-by-one way (`execute`). Returns the notifications to retry alone
   * (a temporary failure), with their errors.
   */
  async executeMany(outbounds: readonly OutboundMessage[], stopping?: AbortSignal): Promise<{ outbound: OutboundMessage; error: unknown }[]> {
    const domain = messageIdDomain(this.env);
    const now = new Date();
    const takenAt = now.getTime();
    // One notification twice in a batch would find its own claim and be taken for an interrupted send.
    const unique = [...new Map(outbounds.map((o) => [o.notificationId, o])).values()];
    const drafts = unique.map((outbound) => ({ outbound, mail: composeOutboundEmail(outbound, domain) }));
    const { inserted, duplicates } = await this.outbox.claimMany(
      drafts.map(({ outbound, mail }) => ({ _id: outbound.notificationId, ticketNumber: outbound.ticketNumber, to: outbound.contact.address, messageId: mail.messageId })),
      now,
    );
    const claimedAt = Date.now();
    const claimed = new Set(inserted);
    const byRecipient = new Map<string, typeof drafts>();
    for (const draft of drafts.filter((d) => claimed.has(d.outbound.notificationId))) byRecipient.set(draft.mail.to, [...(byRecipient.get(draft.mail.to) ?? []), draft]);
    const sent: typeof drafts = [];
    const sendTimes = new Map<string, { startedAt: number; sentAt: number }>();
    const retry: { outbound: OutboundMessage; error: unknown }[] = [];
    const receipts: Promise<void>[] = [];
    const released: string[] = [];
    // As many recipients at once as the pool has connections: mails handed to nodemailer wait in
    // its queue where a stop cannot take them back, and a stop must not leave them half-claimed.
    await forEachAtMost(
      [...byRecipient.values()],
      this.transport.connections,
      async (mails) => {
        for (const [n, draft] of mails.entries()) {
          if (stopping?.aborted) {
            // The service is stopping: mails not started yet give their claims back and come again after the restart.
            for (const later of mails.slice(n)) {
              released.push(later.outbound.notificationId);
              retry.push({ outbound: later.outbound, error: new Error('not sent: the service is stopping') });
            }
            return;
          }
          try {
            const startedAt = Date.now();
            await this.transport.send(draft.mail);
            sendTimes.set(draft.outbound.notificationId, { startedAt, sentAt: Date.now() });
            sent.push(draft);
          } catch (error) {
            const failure = await this.settleFailure(draft.outbound, draft.mail.messageId, error);
            if (!failure.retry) {
              receipts.push(failure.receipt);
              continue;
            }
            // The customer's later mails wait for this one (their claims given back), so they never arrive out of order.
            retry.push({ outbound: draft.outbound, error });
            for (const later of mails.slice(n + 1)) {
              const held = new Error('held back: an earlier mail to the same recipient is to be tried again first');
              await this.outbox.finish(later.outbound.notificationId, 'retry', new Date(), { message: held.message });
              retry.push({ outbound: later.outbound, error: held });
            }
            return;
          }
        }
      },
    );
    await this.outbox.finishMany(
      sent.map((d) => d.outbound.notificationId),
      'sent',
      new Date(),
    );
    await this.outbox.releaseMany(released, new Date(), { message: 'not sent: the service was stopping' });
    const finishedAt = Date.now();
    // Where a mail's time went, from the notifier's composing to its receipt (epoch ms): cheap, and what split the acknowledgement's wait.
    for (const { outbound, mail } of sent) {
      const times = sendTimes.get(outbound.notificationId);
      this.logger.info({ notificationId: outbound.notificationId, messageId: mail.messageId, ticket: outbound.ticketNumber, to: mail.to, createdAt: Date.parse(outbound.createdAt), takenAt, claimedAt, ...times, finishedAt }, 'mail sent');
    }
    await Promise.all(receipts);
    await this.publisher.publishMany(sent.map(({ outbound, mail }) => this.receiptEntry(outbound, 'sent', mail.messageId)));
    const sendMs = [...sendTimes.values()].map((t) => t.sentAt - t.startedAt);
    this.logger.info(
      { mails: unique.length, sent: sent.length, retry: retry.length, claimMs: claimedAt - takenAt, sendMsMax: sendMs.length ? Math.max(...sendMs) : 0, finishMs: finishedAt - Math.max(claimedAt, ...[...sendTimes.values()].map((t) => t.sentAt)), receiptsMs: Date.now() - finishedAt },
      'mail batch',
    );
    const again = new Set(duplicates);
    for (const draft of drafts.filter((d) => again.has(d.outbound.notificationId))) {
      if (stopping?.aborted) {
        retry.push({ outbound: draft.outbound, error: new Error('not sent: the service is stopping') });
        continue;
      }
      try {
        await this.execute(draft.outbound);
      } catch (error) {
        retry.push({ outbound: draft.outbound, error });
      }
    }
    return retry;
  }

  /** A refusal is the notification's end (a `failed` receipt); anything else is a retry, its claim released. */
  private async settleFailure(outbound: OutboundMessage, messageId: string, error: unknown): Promise<{ retry: true } | { retry: false; receipt: Promise<void> }> {
    const code = smtpCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code !== undefined && code >= 500) {
      const failure = { code: String(code), message: message.slice(0, 2_000) };
      await this.outbox.finish(outbound.notificationId, 'failed', new Date(), failure);
      this.logger.warn({ notificationId: outbound.notificationId, code }, 'relay refused the mail');
      return { retry: false, receipt: this.receipt(outbound, 'failed', messageId, failure) };
    }
    await this.outbox.finish(outbound.notificationId, 'retry', new Date(), { ...(code ? { code: String(code) } : {}), message: message.slice(0, 2_000) });
    return { retry: true };
  }

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
      const failure = await this.settleFailure(outbound, mail.messageId, error);
      if (failure.retry) throw error;
      await failure.receipt;
      return;
    }
    await this.outbox.finish(outbound.notificationId, 'sent', new Date());
    this.logger.info({ notificationId: outbound.notificationId, messageId: mail.messageId, ticket: outbound.ticketNumber }, 'mail sent');
    await this.receipt(outbound, 'sent', mail.messageId);
  }

  private receipt(outbound: OutboundMessage, status: 'sent' | 'failed', messageId: string, error?: DeliveryReceipt['error']): Promise<void> {
    return this.publisher.publishMany([this.receiptEntry(outbound, status, messageId, error)]);
  }

  private receiptEntry(outbound: OutboundMessage, status: 'sent' | 'failed', messageId: string, error?: DeliveryReceipt['error']): PublishEntry<'deliveries'> {
    return {
      topic: 'deliveries',
      event: {
        schemaVersion: 1,
        eventId: deterministicId('delivery', outbound.notificationId, status),
        notificationId: outbound.notificationId,
        channel: 'email',
        status,
        providerMessageId: messageId,
        ...(error ? { error } : {}),
        occurredAt: new Date().toISOString(),
      },
      key: outbound.notificationId,
    };
  }
}
