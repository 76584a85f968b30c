import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Command, commandSchema } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { Principal } from '../access/principal';
import { AuditLog } from '../audit/audit-log';
import { ApiError } from './api-error';

/**
 * Publishes an agent's or operator's action as a command for the router (the console never
 * writes tickets), awaited before the API answers 202, then audits it.
 */
@Injectable()
export class CommandIssuer {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly audit: AuditLog,
  ) {}

  async issue(principal: Principal, command: Command['command'], details?: Record<string, unknown>): Promise<{ commandId: string }> {
    const event = commandSchema.safeParse({
      schemaVersion: 1,
      eventId: randomUUID(),
      actor: { id: principal.agentId ?? principal.id, role: principal.role },
      issuedAt: new Date().toISOString(),
      command,
    });
    if (!event.success) throw new ApiError(422, 'validation_failed', 'the command is not valid', event.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const key = 'ticketId' in command ? command.ticketId : 'agentId' in command ? command.agentId : 'agent' in command ? command.agent.id : command.type;
    try {
      await this.publisher.publish('commands', event.data, { key });
    } catch (error) {
      throw new ApiError(503, 'unavailable', `could not hand the command to the router, try again: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.audit.record(principal, command.type, { target: key, commandId: event.data.eventId, ...(details ? { details } : {}) });
    return { commandId: event.data.eventId };
  }
}
