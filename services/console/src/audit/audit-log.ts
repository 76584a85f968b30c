import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConsoleAuditDocument, ConsoleAuditRepository } from '@switchboard/persistence';
import { Principal } from '../access/principal';

/** Records who did what; every mutating request writes one entry. */
@Injectable()
export class AuditLog {
  constructor(private readonly repository: ConsoleAuditRepository) {}

  async record(
    actor: Pick<Principal, 'id' | 'role'> & Partial<Pick<Principal, 'email' | 'agentId'>>,
    action: string,
    entry: Partial<Pick<ConsoleAuditDocument, 'target' | 'commandId' | 'details' | 'outcome'>> = {},
  ): Promise<void> {
    await this.repository.add({
      _id: randomUUID(),
      at: new Date(),
      actor: { id: actor.id, role: actor.role, ...(actor.email ? { email: actor.email } : {}), ...(actor.agentId ? { agentId: actor.agentId } : {}) },
      action,
      outcome: entry.outcome ?? 'accepted',
      ...(entry.target ? { target: entry.target } : {}),
      ...(entry.commandId ? { commandId: entry.commandId } : {}),
      ...(entry.details ? { details: entry.details } : {}),
    });
  }
}
