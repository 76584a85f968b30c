import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AssignmentInboxRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';

/** Every router instance takes commands off Kafka into the inbox; the lease holder applies them in order. */
@Injectable()
export class CommandsConsumer {
  constructor(consumers: ConsumerRegistry, inbox: AssignmentInboxRepository, logger: PinoLogger) {
    consumers.register({
      // A group of its own: members of one kafkajs group must subscribe to the same topics.
      groupId: 'router-commands',
      topic: 'commands',
      handle: async (command) => {
        await inbox.add(`command:${command.eventId}`, { kind: 'command', command }, new Date());
        logger.info({ eventId: command.eventId, type: command.command.type, actor: command.actor.id }, 'command queued for routing');
      },
    });
  }
}
