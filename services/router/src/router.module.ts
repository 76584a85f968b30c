import { DynamicModule, Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from '@switchboard/messaging';
import { Connection } from 'mongoose';
import { AgentRepository, AssignmentInboxRepository, AssignmentRepository, ClassificationCorrectionRepository, ContactRepository, RouterLeaseRepository, RoutingWorkflowRepository, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { InfraModule, MONGO_CONNECTION, repositoryProvider } from '@switchboard/service-kit';
import { AssignmentLeader } from './assignment-leader';
import { ClassifiedConsumer } from './classified.consumer';
import { CommandsConsumer } from './commands.consumer';
import { ConversationCommandsUseCase } from './conversation-commands.use-case';
import { OpenOrThreadTicketUseCase } from './open-or-thread-ticket.use-case';
import { RouterEnv } from './router.config';
import { ThreadBatchUseCase } from './thread-batch.use-case';
import { RoutingExplanationController } from './routing-explanation.controller';
import { RoutingRetention } from './routing-retention';
import { RoutingWorkflowController } from './routing-workflow.controller';
import { WorkflowStore } from './workflow-store';

@Module({})
export class RouterModule {
  static forRoot(env: RouterEnv): DynamicModule {
    // A broken workflow file stops the router at start with the problems listed, never mid-stream.
    // The file only seeds version 1 in MongoDB; after that the stored versions are what routes.
    const seedSource = env.ROUTING_WORKFLOW_FILE ? readFileSync(env.ROUTING_WORKFLOW_FILE, 'utf8') : DEFAULT_WORKFLOW_YAML;
    parseWorkflow(seedSource);
    const instanceId = env.ROUTER_INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return {
      module: RouterModule,
      imports: [InfraModule.forRoot('router', env)],
      controllers: [RoutingExplanationController, RoutingWorkflowController],
      providers: [
        repositoryProvider(TicketRepository),
        repositoryProvider(ContactRepository),
        repositoryProvider(AgentRepository),
        repositoryProvider(AssignmentRepository),
        repositoryProvider(AssignmentInboxRepository),
        repositoryProvider(RouterLeaseRepository),
        repositoryProvider(RoutingWorkflowRepository),
        {
          provide: WorkflowStore,
          inject: [RoutingWorkflowRepository, PinoLogger],
          useFactory: (repository: RoutingWorkflowRepository, logger: PinoLogger) => new WorkflowStore(repository, logger, { seedSource, pollMs: env.ROUTER_WORKFLOW_POLL_MS }),
        },
        {
          provide: RoutingRetention,
          inject: [AssignmentInboxRepository, AssignmentRepository, AgentRepository, RouterLeaseRepository, MONGO_CONNECTION],
          useFactory: (inbox: AssignmentInboxRepository, assignments: AssignmentRepository, agents: AgentRepository, leases: RouterLeaseRepository, connection: Connection) =>
            new RoutingRetention(inbox, assignments, agents, leases, connection, {
              inboxRetentionMs: env.ROUTER_INBOX_RETENTION_HOURS * 3600_000,
              logRetentionMs: env.ROUTING_LOG_RETENTION_DAYS * 86_400_000,
              processedEventRetentionMs: env.ROUTER_PROCESSED_EVENT_RETENTION_DAYS * 86_400_000,
              batchSize: 500,
              maxBatches: 20,
            }),
        },
        repositoryProvider(ClassificationCorrectionRepository),
        {
          provide: OpenOrThreadTicketUseCase,
          inject: [TicketRepository, ContactRepository, WorkflowStore, AssignmentInboxRepository],
          useFactory: async (tickets: TicketRepository, contacts: ContactRepository, workflows: WorkflowStore, inbox: AssignmentInboxRepository) => {
            const options = { reopenWindowMs: env.REOPEN_WINDOW_HOURS * 3600 * 1000, surveyWindowMs: env.SURVEY_WINDOW_HOURS * 3600 * 1000 };
            // A database from before the person and identity documents: built once, before the first message is threaded.
            await contacts.backfillIdentities();
            await tickets.backfillPersonTickets(new Date(Date.now() - Math.max(options.reopenWindowMs, options.surveyWindowMs)));
            return new OpenOrThreadTicketUseCase(tickets, contacts, () => workflows.current.workflow, options, undefined, inbox);
          },
        },
        {
          provide: ThreadBatchUseCase,
          inject: [TicketRepository, ContactRepository, WorkflowStore, OpenOrThreadTicketUseCase],
          useFactory: (tickets: TicketRepository, contacts: ContactRepository, workflows: WorkflowStore, single: OpenOrThreadTicketUseCase) =>
            new ThreadBatchUseCase(tickets, contacts, single, () => workflows.current.workflow, {
              reopenWindowMs: env.REOPEN_WINDOW_HOURS * 3600 * 1000,
              surveyWindowMs: env.SURVEY_WINDOW_HOURS * 3600 * 1000,
            }),
        },
        { provide: ConversationCommandsUseCase, inject: [TicketRepository, ContactRepository], useFactory: (t: TicketRepository, c: ContactRepository) => new ConversationCommandsUseCase(t, c) },
        {
          provide: AssignmentLeader,
          inject: [WorkflowStore, RouterLeaseRepository, AgentRepository, AssignmentRepository, AssignmentInboxRepository, EventPublisher, PinoLogger, RoutingRetention, ClassificationCorrectionRepository],
          useFactory: (
            workflows: WorkflowStore,
            leases: RouterLeaseRepository,
            agents: AgentRepository,
            assignments: AssignmentRepository,
            inbox: AssignmentInboxRepository,
            publisher: EventPublisher,
            logger: PinoLogger,
            retention: RoutingRetention,
            corrections: ClassificationCorrectionRepository,
          ) =>
            new AssignmentLeader(
              workflows,
              leases,
              agents,
              assignments,
              inbox,
              publisher,
              logger,
              {
                instanceId,
                leaseTtlMs: env.ROUTER_LEASE_TTL_MS,
                pollMs: env.ROUTER_POLL_MS,
                positionUpdateMs: env.ROUTER_POSITION_UPDATE_SECONDS * 1000,
                retentionIntervalMs: env.ROUTER_RETENTION_INTERVAL_MINUTES * 60_000,
              },
              retention,
              corrections,
            ),
        },
        ClassifiedConsumer,
        CommandsConsumer,
      ],
    };
  }
}
