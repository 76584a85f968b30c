import { DynamicModule, Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from '@switchboard/messaging';
import { AgentRepository, AssignmentInboxRepository, AssignmentRepository, ContactRepository, RouterLeaseRepository, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { AssignmentLeader } from './assignment-leader';
import { ClassifiedConsumer } from './classified.consumer';
import { CommandsConsumer } from './commands.consumer';
import { ConversationCommandsUseCase } from './conversation-commands.use-case';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { RouterEnv } from './router.config';
import { RoutingExplanationController } from './routing-explanation.controller';

@Module({})
export class RouterModule {
  static forRoot(env: RouterEnv): DynamicModule {
    // A broken workflow file stops the router at start with the problems listed, never mid-stream.
    const workflow = parseWorkflow(env.ROUTING_WORKFLOW_FILE ? readFileSync(env.ROUTING_WORKFLOW_FILE, 'utf8') : DEFAULT_WORKFLOW_YAML);
    const instanceId = env.ROUTER_INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return {
      module: RouterModule,
      imports: [InfraModule.forRoot('router', env)],
      controllers: [RoutingExplanationController],
      providers: [
        repositoryProvider(TicketRepository),
        repositoryProvider(ContactRepository),
        repositoryProvider(AgentRepository),
        repositoryProvider(AssignmentRepository),
        repositoryProvider(AssignmentInboxRepository),
        repositoryProvider(RouterLeaseRepository),
        {
          provide: OpenOrThreadTicketUseCase,
          inject: [TicketRepository, ContactRepository],
          useFactory: (tickets: TicketRepository, contacts: ContactRepository) =>
            new OpenOrThreadTicketUseCase(tickets, contacts, workflow, { reopenWindowMs: env.REOPEN_WINDOW_HOURS * 3600 * 1000, surveyWindowMs: env.SURVEY_WINDOW_HOURS * 3600 * 1000 }),
        },
        { provide: ConversationCommandsUseCase, inject: [TicketRepository, ContactRepository], useFactory: (t: TicketRepository, c: ContactRepository) => new ConversationCommandsUseCase(t, c) },
        {
          provide: AssignmentLeader,
          inject: [RouterLeaseRepository, AgentRepository, AssignmentRepository, AssignmentInboxRepository, EventPublisher, PinoLogger],
          useFactory: (
            leases: RouterLeaseRepository,
            agents: AgentRepository,
            assignments: AssignmentRepository,
            inbox: AssignmentInboxRepository,
            publisher: EventPublisher,
            logger: PinoLogger,
          ) => new AssignmentLeader(workflow, leases, agents, assignments, inbox, publisher, logger, { instanceId, leaseTtlMs: env.ROUTER_LEASE_TTL_MS, pollMs: env.ROUTER_POLL_MS }),
        },
        ClassifiedConsumer,
        CommandsConsumer,
      ],
    };
  }
}
