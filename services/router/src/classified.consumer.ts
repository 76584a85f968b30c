import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';

@Injectable()
export class ClassifiedConsumer {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, useCase: OpenOrThreadTicketUseCase, logger: PinoLogger) {
    consumers.register({
      groupId: 'router',
      topic: 'classified',
      handle: async (classified) => {
        const event = await useCase.execute(classified, new Date());
        await publisher.publish('tickets', event, { key: event.ticket.id });
        logger.info({ eventId: classified.inbound.eventId, ticket: event.ticket.number, type: event.type, queue: event.ticket.queue }, 'ticket updated');
      },
    });
  }
}
