import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { deterministicId } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { AssignmentInboxRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { ConversationCommandsUseCase, isConversationCommand } from './conversation-commands.use-case';

/**
 * Every router instance takes commands off Kafka. Routing commands go into the inbox, which the
 * lease holder applies in order; conversation commands (replies, notes, pending, language) are
 * handled here, and a reply forwards the engine's `ticket.respond` through the inbox.
 */
@Injectable()
export class CommandsConsumer {
  constructor(consumers: ConsumerRegistry, inbox: AssignmentInboxRepository, conversation: ConversationCommandsUseCase, publisher: EventPublisher, logger: PinoLogger) {
    consumers.register({
      // A group of its own: members of one kafkajs group must subscribe to the same topics.
      groupId: 'router-commands',
      topic: 'commands',
      handle: async (command) => {
        if (!isConversationCommand(command)) {
          await inbox.add(`command:${command.eventId}`, { kind: 'command', command }, new Date());
          logger.info({ eventId: command.eventId, type: command.command.type, actor: command.actor.id }, 'command queued for routing');
          return;
        }
        const outcome = await conversation.execute(command, new Date());
        const log = { eventId: command.eventId, type: command.command.type, actor: command.actor.id, ...('ticketId' in command.command ? { ticketId: command.command.ticketId } : {}) };
        if (outcome.kind === 'ignored') return logger.warn({ ...log, reason: outcome.reason }, 'conversation command ignored');
        if (outcome.respond) {
          const respond = { ...command, eventId: deterministicId('command', 'respond', command.eventId), command: { type: 'ticket.respond' as const, ticketId: outcome.respond.ticketId } };
          await inbox.add(`command:${respond.eventId}`, { kind: 'command', command: respond }, new Date());
        }
        if (outcome.event) await publisher.publish('tickets', outcome.event, { key: outcome.event.ticket.id });
        logger.info({ ...log, event: outcome.event?.type }, 'conversation command applied');
      },
    });
  }
}
