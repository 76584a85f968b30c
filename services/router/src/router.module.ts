import { DynamicModule, Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { ContactRepository, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { ClassifiedConsumer } from './classified.consumer';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { RouterEnv } from './router.config';

@Module({})
export class RouterModule {
  static forRoot(env: RouterEnv): DynamicModule {
    // A broken workflow file stops the router at start with the problems listed, never mid-stream.
    const workflow = parseWorkflow(env.ROUTING_WORKFLOW_FILE ? readFileSync(env.ROUTING_WORKFLOW_FILE, 'utf8') : DEFAULT_WORKFLOW_YAML);
    return {
      module: RouterModule,
      imports: [InfraModule.forRoot('router', env)],
      providers: [
        repositoryProvider(TicketRepository),
        repositoryProvider(ContactRepository),
        {
          provide: OpenOrThreadTicketUseCase,
          inject: [TicketRepository, ContactRepository],
          useFactory: (tickets: TicketRepository, contacts: ContactRepository) =>
            new OpenOrThreadTicketUseCase(tickets, contacts, workflow, { reopenWindowMs: env.REOPEN_WINDOW_HOURS * 3600 * 1000 }),
        },
        ClassifiedConsumer,
      ],
    };
  }
}
