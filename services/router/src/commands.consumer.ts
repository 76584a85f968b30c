import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deterministicId } from '@switchboard/contracts';
import { EventPublisher, ProcessedEventStore } from '@switchboard/messaging';
import { AssignmentInboxRepository } from '@switchboard/persistence';
import { ConsumerRegistry, PROCESSED_EVENTS } from '@switchboard/service-kit';
import { ConversationCommand, ConversationCommandsUseCase, isConversationCommand } from './conversation-commands.use-case';

const GROUP = 'router-commands';

/**
 * Every router instance takes commands off Kafka. Routing commands go into the inbox, which the
 * lease holder applies in order; conversation commands (replies, notes, pending, language) are
 * handled here, and a reply forwards the engine's `ticket.respond` through the inbox.
 *
 * Processed-event keys only for conversation commands: a routing command is stored under its own
 * event id in the inbox (a redelivery is the same item, processed or not), so keys would only add
 * two inserts to every accept and resolve; `ticket.set_pending` is not keyed by its cause (a
 * redelivery after the customer wrote again would set the ticket pending again), so those keep them.
 * Partitions side by side: commands are keyed by ticket or agent, each partition stays in order,
 * and the inbox orders what the engine hears by when it was stored, as before.
 */
@Injectable()
export class CommandsConsumer {
  constructor(
    consumers: ConsumerRegistry,
    private readonly inbox: AssignmentInboxRepository,
    private readonly conversation: ConversationCommandsUseCase,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    @Inject(PROCESSED_EVENTS) private readonly processed: ProcessedEventStore,
  ) {
    consumers.register({
      // A group of its own: members of one kafkajs group must subscribe to the same topics.
      groupId: GROUP,
      topic: 'commands',
      processed: undefined,
      partitionsConsumedConcurrently: 4,
      handle: async (command) => {
        if (!isConversationCommand(command)) {
          await inbox.add(`command:${command.eventId}`, { kind: 'command', command }, new Date());
          logger.info({ eventId: command.eventId, type: command.command.type, actor: command.actor.id }, 'command queued for routing');
          return;
        }
        if (await processed.has(GROUP, command.eventId)) return logger.info({ eventId: command.eventId }, 'skipping a command already processed');
        await this.converse(command);
        await processed.mark(GROUP, command.eventId);
      },
    });
  }

  private async converse(command: ConversationCommand): Promise<void> {
    const outcome = await this.conversation.execute(command, new Date());
    const log = { eventId: command.eventId, type: command.command.type, actor: command.actor.id, ...('ticketId' in command.command ? { ticketId: command.command.ticketId } : {}) };
    if (outcome.kind === 'ignored') return this.logger.warn({ ...log, reason: outcome.reason }, 'conversation command ignored');
    if (outcome.respond) {
      const respond = { ...command, eventId: deterministicId('command', 'respond', command.eventId), command: { type: 'ticket.respond' as const, ticketId: outcome.respond.ticketId } };
      await this.inbox.add(`command:${respond.eventId}`, { kind: 'command', command: respond }, new Date());
    }
    // After the ticket stores when it began waiting: the holder reads it from there.
    if (outcome.waits) await this.inbox.add(`status:${command.eventId}`, { kind: 'status', ticketId: outcome.waits.ticketId }, new Date());
    if (outcome.event) await this.publisher.publish('tickets', outcome.event, { key: outcome.event.ticket.id });
    this.logger.info({ ...log, event: outcome.event?.type }, 'conversation command applied');
  }
}
