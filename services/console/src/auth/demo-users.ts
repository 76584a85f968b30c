import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ConsoleUserDocument, ConsoleUserRepository } from '@switchboard/persistence';
import { CommandIssuer } from '../api/command-issuer';
import { CONSOLE_ENV, ConsoleEnv } from '../console.config';
import { hashPassword } from './password-hash';

/** The demo agent's routing profile: skills that put it in the account-access and payments queues of the default workflow. */
export const DEMO_AGENT = { id: 'agent-putri', displayName: 'Putri', skills: ['account-access', 'payments'], languages: ['en', 'id'], teams: [], level: 1 };

export const DEMO_USERS: Omit<ConsoleUserDocument, 'passwordHash' | 'createdAt' | 'updatedAt'>[] = [
  { _id: 'demo-agent', email: 'agent@example.com', name: 'Putri (agent)', role: 'agent', agentId: DEMO_AGENT.id, queues: ['account-access', 'payments', 'general'] },
  { _id: 'demo-supervisor', email: 'supervisor@example.com', name: 'Sam (supervisor)', role: 'supervisor', queues: [] },
  { _id: 'demo-admin', email: 'admin@example.com', name: 'Ana (admin)', role: 'admin', queues: [] },
];

/** With CONSOLE_DEMO_USERS=true: one account per role (password CONSOLE_DEMO_PASSWORD) and the agent's profile for routing. */
@Injectable()
export class DemoUsers implements OnApplicationBootstrap {
  constructor(
    private readonly users: ConsoleUserRepository,
    private readonly commands: CommandIssuer,
    private readonly logger: PinoLogger,
    @Inject(CONSOLE_ENV) private readonly env: ConsoleEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.CONSOLE_DEMO_USERS) return;
    const now = new Date();
    const passwordHash = await hashPassword(this.env.CONSOLE_DEMO_PASSWORD);
    for (const user of DEMO_USERS) await this.users.upsert({ ...user, passwordHash, createdAt: now, updatedAt: now });
    const system = { id: 'console-demo', email: 'console-demo', name: 'console demo seed', role: 'admin' as const, queues: [] };
    await this.commands.issue(system, { type: 'agent.upsert', agent: DEMO_AGENT });
    this.logger.info(
      { accounts: DEMO_USERS.map((u) => `${u.email} (${u.role})`), password: this.env.CONSOLE_DEMO_PASSWORD },
      `console demo accounts: ${DEMO_USERS.map((u) => u.email).join(', ')}; password ${this.env.CONSOLE_DEMO_PASSWORD}`,
    );
  }
}
