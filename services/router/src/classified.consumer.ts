import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from '@switchboard/messaging';
import { AssignmentInboxRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';

@Injectable()
export class ClassifiedConsumer {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, useCase: OpenOrThreadTicketUseCase, inbox: AssignmentInboxRepository, logger: PinoLogger) {
    consumers.register({
      groupId: 'router',
      topic: 'classified',
      // No processed-event keys: every effect is keyed by the message's event id (the stored
      // message, the opener's id, the inbox item, the ticket event's id), so a redelivery finds the
      // stored message and publishes the same event again. Two inserts a message saved.
      processed: undefined,
      // Partitions side by side: each stays in order (one address's messages), and a person's
      // messages on addresses keyed to different partitions wait for each other in the use case
      // (its key locks), so they thread as one partition at a time did. Across router instances
      // that was never so: each takes its own partitions, as before.
      partitionsConsumedConcurrently: 16,
      handle: async (classified) => {
        const event = await useCase.execute(classified, new Date());
        // Both before the offset is committed, so a crash here only repeats them (the inbox id is
        // the cause's, the event's id too); side by side, as neither needs the other.
        const routing =
          event.type === 'ticket.opened'
            ? inbox.add(`arrival:${event.ticket.id}`, { kind: 'arrival', ticketId: event.ticket.id }, new Date())
            : event.type === 'ticket.reopened'
              ? inbox.add(`reopen:${event.eventId}`, { kind: 'reopen', ticketId: event.ticket.id }, new Date())
              : undefined;
        await Promise.all([routing, publisher.publish('tickets', event, { key: event.ticket.id })]);
        logger.info({ eventId: classified.inbound.eventId, ticket: event.ticket.number, type: event.type, queue: event.ticket.queue }, 'ticket updated');
      },
    });
  }
}
