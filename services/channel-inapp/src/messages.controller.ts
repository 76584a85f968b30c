import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Coalescer, InappMessageRequest, inappMessageRequestSchema, normaliseInappMessage } from '@switchboard/channels';
import { EventPublisher } from '@switchboard/messaging';
import { InappOutboxDocument, InappOutboxRepository } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { AuthenticatedRequest, IdentityGuard } from './identity.guard';

@Controller('v1/messages')
@UseGuards(IdentityGuard)
export class MessagesController {
  /** The customers' own messages of the moment in one insert (a redelivered one is already there). */
  private readonly customerMessages = new Coalescer<InappOutboxDocument>(async (messages) => {
    await this.outbox.addMany(messages);
  });

  constructor(
    private readonly publisher: EventPublisher,
    private readonly outbox: InappOutboxRepository,
  ) {}

  /** 202: the message is on the bus (acks from all replicas) before we answer; the reply comes over the socket. */
  @Post()
  @HttpCode(202)
  async send(@Req() request: AuthenticatedRequest, @Body(new ZodBodyPipe(inappMessageRequestSchema)) body: InappMessageRequest) {
    const inbound = normaliseInappMessage(body, request.identity, new Date(), randomUUID);
    await this.publisher.publish('inbound', inbound, { key: inbound.contactKey });
    await this.customerMessages.add({ _id: inbound.eventId, userId: request.identity.sub, from: 'customer', kind: 'customer_message', text: inbound.text, createdAt: new Date(inbound.receivedAt), delivered: true });
    return { messageId: inbound.providerMessageId, eventId: inbound.eventId, receivedAt: inbound.receivedAt };
  }

  /** The conversation, newest first: what the customer wrote and what we told them; for apps that reopen after a while. */
  @Get()
  async history(@Req() request: AuthenticatedRequest) {
    const messages = await this.outbox.history(request.identity.sub);
    return {
      messages: messages.map((m) => ({
        id: m._id,
        from: m.from ?? 'support',
        ticketId: m.ticketId,
        ticketNumber: m.ticketNumber,
        kind: m.kind,
        text: m.text,
        createdAt: m.createdAt,
        delivered: m.delivered,
      })),
    };
  }
}
