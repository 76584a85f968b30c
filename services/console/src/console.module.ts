import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AssignmentRepository, ConsoleAuditRepository, ConsoleTicketReads, ConsoleUserRepository } from '@switchboard/persistence';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { ApiErrorFilter } from './api/api-error.filter';
import { CommandIssuer } from './api/command-issuer';
import { AuditLog } from './audit/audit-log';
import { AccessTokens } from './auth/access-token';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { DemoUsers } from './auth/demo-users';
import { CONSOLE_ENV, ConsoleEnv } from './console.config';
import { TicketsController } from './tickets/tickets.controller';
import { WorkflowSource } from './workflow/workflow-source';

@Module({})
export class ConsoleModule {
  static forRoot(env: ConsoleEnv): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [InfraModule.forRoot('console', env)],
      controllers: [AuthController, TicketsController],
      providers: [
        { provide: CONSOLE_ENV, useValue: env },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        repositoryProvider(ConsoleUserRepository),
        repositoryProvider(ConsoleAuditRepository),
        repositoryProvider(ConsoleTicketReads),
        repositoryProvider(AssignmentRepository),
                AccessTokens,
        AuditLog,
        CommandIssuer,
        AuthService,
        DemoUsers,
        WorkflowSource,
      ],
    };
  }
}
