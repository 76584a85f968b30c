import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deterministicId, DeliveryStatus, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { InappOutboxDocument, InappOutboxRepository } from '@switchboard/persistence';
import { CustomerSockets } from './customer-sockets';

/**
 * Every outbound message is stored in the outbox first, then pushed to the customer's open sockets.
 * It counts as delivered only when the app acknowledges it; until then it is re-sent on every reconnect.
 */
@Injectable()
export class InappDeliveryService {
  constructor(
    private readonly outbox: InappOutboxRepository,
    private readonly sockets: CustomerSockets,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
  ) {
    sockets.onConnect = (userId) => this.flush(userId);
    sockets.onAck = (userId, id) => this.acknowledge(userId, id);
  }

  /**
   * A new message is pushed on its own: what was pending before went out when the socket
   * connected, and listing a user's pending messages is a scan of every in-app message on
   * FerretDB. A redelivered one may have been stored by a run that died before pushing it.
   */
  async deliver(outbound: OutboundMessage): Promise<void> {
    const message: InappOutboxDocument = {
      _id: outbound.notificationId,
      userId: outbound.contact.address,
      from: 'support',
      ticketId: outbound.ticketId,
      ticketNumber: outbound.ticketNumber,
      kind: outbound.kind,
      text: outbound.text,
      createdAt: new Date(outbound.createdAt),
      delivered: false,
    };
    if (await this.outbox.add(message)) await this.push(message);
    else await this.flush(message.userId);
  }

  private async flush(userId: string): Promise<void> {
    if (!this.sockets.isConnected(userId)) return;
    for (const message of await this.outbox.pending(userId)) await this.push(message);
  }

  private async push(message: InappOutboxDocument): Promise<void> {
    if (this.sockets.push(message.userId, frame(message)) > 0) await this.receipt(message._id, 'sent');
  }

  private async acknowledge(userId: string, id: string): Promise<void> {
    if (await this.outbox.markDelivered(id, userId, new Date())) await this.receipt(id, 'delivered');
    else this.logger.debug({ userId, id }, 'ack for a message already delivered or not this user');
  }

  private receipt(notificationId: string, status: DeliveryStatus): Promise<void> {
    return this.publisher.publish(
      'deliveries',
      { schemaVersion: 1, eventId: deterministicId('delivery', notificationId, status), notificationId, channel: 'inapp', status, occurredAt: new Date().toISOString() },
      { key: notificationId },
    );
  }
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
