import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Coalescer } from '@switchboard/channels';
import { deterministicId, DeliveryStatus, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, PublishEntry } from '@switchboard/messaging';
import { InappOutboxDocument, InappOutboxRepository } from '@switchboard/persistence';
import { CustomerSockets } from './customer-sockets';
import { InappRecipientRepository } from './inapp-recipients.repository';

interface Ack {
  userId: string;
  id: string;
  at: Date;
}

/**
 * Every outbound message is stored in the outbox first, then pushed to the customer's open sockets.
 * It counts as delivered only when the app acknowledges it; until then it is re-sent on every reconnect.
 * Writes go in batches (a consumer batch's messages in one insert, the acks of the moment in one
 * update): under load the database's one write lock, not the work, was what each write waited for.
 */
@Injectable()
export class InappDeliveryService {
  private readonly acks = new Coalescer<Ack>((acks) => this.acknowledgeMany(acks));

  constructor(
    private readonly outbox: InappOutboxRepository,
    private readonly recipients: InappRecipientRepository,
    private readonly sockets: CustomerSockets,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
  ) {
    sockets.onConnect = (userId) => this.flush(userId);
    sockets.onAck = (userId, id) => this.acks.add({ userId, id, at: new Date() });
  }

  /**
   * New messages are pushed on their own: what was pending before went out when the socket
   * connected, and listing a user's pending messages is a scan of every in-app message on
   * FerretDB. A redelivered one may have been stored by a run that died before pushing it: its
   * user's pending messages are pushed again.
   */
  async deliverMany(outbounds: readonly OutboundMessage[]): Promise<void> {
    const messages = outbounds.map(
      (outbound): InappOutboxDocument => ({
        _id: outbound.notificationId,
        userId: outbound.contact.address,
        from: 'support',
        ticketId: outbound.ticketId,
        ticketNumber: outbound.ticketNumber,
        kind: outbound.kind,
        text: outbound.text,
        createdAt: new Date(outbound.createdAt),
        delivered: false,
      }),
    );
    await this.recipients.remember(
      messages.map((m) => m.userId),
      new Date(),
    );
    const { inserted, duplicates } = await this.outbox.addMany(messages);
    // A user with a redelivered message gets everything pending, the new ones with it, in order.
    const flushed = new Set(duplicates.map((m) => m.userId));
    const sent = inserted.filter((message) => !flushed.has(message.userId) && this.sockets.push(message.userId, frame(message)) > 0);
    await this.publisher.publishMany(sent.map((message) => receipt(message._id, 'sent')));
    for (const userId of flushed) await this.flush(userId);
  }

  private async flush(userId: string): Promise<void> {
    if (!this.sockets.isConnected(userId) || !(await this.recipients.mayHavePending(userId))) return;
    const pending = await this.outbox.pending(userId);
    const sent = pending.filter((message) => this.sockets.push(message.userId, frame(message)) > 0);
    await this.publisher.publishMany(sent.map((message) => receipt(message._id, 'sent')));
  }

  private async acknowledgeMany(acks: readonly Ack[]): Promise<void> {
    const delivered = await this.outbox.markDeliveredMany(acks, acks[0].at);
    if (delivered.length < acks.length) this.logger.debug({ acks: acks.length, delivered: delivered.length }, 'acks for messages already delivered or not the user\'s');
    await this.publisher.publishMany(delivered.map((id) => receipt(id, 'delivered')));
  }
}

function receipt(notificationId: string, status: DeliveryStatus): PublishEntry<'deliveries'> {
  return {
    topic: 'deliveries',
    event: { schemaVersion: 1, eventId: deterministicId('delivery', notificationId, status), notificationId, channel: 'inapp', status, occurredAt: new Date().toISOString() },
    key: notificationId,
  };
}

function frame(message: InappOutboxDocument) {
  return {
    type: 'message' as const,
    id: message._id,
    ticketId: message.ticketId,
    ticketNumber: message.ticketNumber,
    kind: message.kind,
    text: message.text,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}
