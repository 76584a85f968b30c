import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AgentRepository, AssignmentRepository, ConsoleAuditRepository, ConsoleTicketReads, ConsoleUserRepository } from '@switchboard/persistence';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { ApiErrorFilter } from './api/api-error.filter';
import { CommandIssuer } from './api/command-issuer';
import { AuditController } from './audit/audit.controller';
import { AuditLog } from './audit/audit-log';
import { AccessTokens } from './auth/access-token';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { DemoUsers } from './auth/demo-users';
import { CONSOLE_ENV, ConsoleEnv } from './console.config';
import { LiveFeed } from './live/live-feed';
import { LiveHub } from './live/live-hub';
import { AgentsController } from './operators/agents.controller';
import { QueueStatsService } from './operators/queue-stats.service';
import { StatsController } from './operators/stats.controller';
import { TemplatesProxyController } from './operators/templates-proxy.controller';
import { TicketsController } from './tickets/tickets.controller';
import { UsersController } from './users/users.controller';
import { WorkflowController } from './workflow/workflow.controller';
import { WorkflowSource } from './workflow/workflow-source';

@Module({})
export class ConsoleModule {
  static forRoot(env: ConsoleEnv): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [InfraModule.forRoot('console', env)],
      controllers: [AuthController, TicketsController, AgentsController, StatsController, WorkflowController, AuditController, TemplatesProxyController, UsersController],
      providers: [
        { provide: CONSOLE_ENV, useValue: env },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        repositoryProvider(ConsoleUserRepository),
        repositoryProvider(ConsoleAuditRepository),
        repositoryProvider(ConsoleTicketReads),
        repositoryProvider(AssignmentRepository),
        repositoryProvider(AgentRepository),
        AccessTokens,
        AuditLog,
        CommandIssuer,
        AuthService,
        DemoUsers,
        WorkflowSource,
        QueueStatsService,
        LiveHub,
        LiveFeed,
      ],
    };
  }
}
