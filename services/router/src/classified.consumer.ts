import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { TicketEvent } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { AssignmentInboxRepository, InboxItem } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { ThreadBatchUseCase } from './thread-batch.use-case';

@Injectable()
export class ClassifiedConsumer {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, useCase: ThreadBatchUseCase, inbox: AssignmentInboxRepository, logger: PinoLogger) {
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
      // A batch reads what it needs with one `$in` read per collection and writes in bulk; a
      // message it fails on is handed back alone (retried, then dead-lettered), the rest go on.
      maxBatchSize: 200,
      handleBatch: async (items) => {
        const { events, failed } = await useCase.execute(
          items.map((item) => item.event),
          new Date(),
        );
        const done = events.filter((event): event is TicketEvent => event !== undefined);
        // Both before the offsets are committed, so a crash here only repeats them (the inbox ids
        // are the causes', the events' ids too).
        await inbox.addMany(done.flatMap(routingItem), new Date());
        await publisher.publishMany(done.map((event) => ({ topic: 'tickets', event, key: event.ticket.id })));
        for (const event of done) logger.info({ eventId: event.messageId, ticket: event.ticket.number, type: event.type, queue: event.ticket.queue }, 'ticket updated');
        return { failed: failed.map(({ index, error }) => ({ item: items[index], error })) };
      },
    });
  }
}

/** What the lease holder must hear of: a new ticket's arrival, a reopening. */
function routingItem(event: TicketEvent): { id: string; item: InboxItem }[] {
  if (event.type === 'ticket.opened') return [{ id: `arrival:${event.ticket.id}`, item: { kind: 'arrival', ticketId: event.ticket.id } }];
  if (event.type === 'ticket.reopened') return [{ id: `reopen:${event.eventId}`, item: { kind: 'reopen', ticketId: event.ticket.id } }];
  return [];
}
