import { DynamicModule, Module } from '@nestjs/common';
import { AgentRepository, ContactRepository, findByIds, NotificationRepository, TemplateRepository } from '@switchboard/persistence';
import { PinoLogger } from 'nestjs-pino';
import { parseCheckAfter, parseRetryDelays } from '@switchboard/channels';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { DeliveryCheckDispatcher } from './delivery-check-dispatcher';
import { DeliveryCheckRepository } from './delivery-check.repository';
import { DeliveryWatch } from './delivery-watch';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';
import { RetryDispatcher } from './retry-dispatcher';
import { NotifyCustomerUseCase } from './notify-customer.use-case';
import { NOTIFIER_ENV, NotifierEnv } from './notifier.config';
import { TemplateOverridesCache } from './template-overrides';
import { TemplatesController } from './templates.controller';
import { NotifierConsumers } from './notifier.consumers';

@Module({})
export class NotifierModule {
  static forRoot(env: NotifierEnv): DynamicModule {
    return {
      module: NotifierModule,
      imports: [InfraModule.forRoot('notifier', env)],
      controllers: [TemplatesController],
      providers: [
        { provide: NOTIFIER_ENV, useValue: env },
        repositoryProvider(NotificationRepository),
        repositoryProvider(TemplateRepository),
        repositoryProvider(ContactRepository),
        {
          provide: FallBackChannelUseCase,
          inject: [NotificationRepository, ContactRepository, TemplateOverridesCache],
          useFactory: (n: NotificationRepository, c: ContactRepository, cache: TemplateOverridesCache) => new FallBackChannelUseCase(n, c, () => cache.current()),
        },
        {
          provide: DeliverOrRetryUseCase,
          inject: [NotificationRepository, FallBackChannelUseCase],
          useFactory: (n: NotificationRepository, f: FallBackChannelUseCase) => new DeliverOrRetryUseCase(n, f, parseRetryDelays(env.NOTIFY_RETRY_DELAYS)),
        },
        {
          provide: RetryDispatcher,
          inject: [NotificationRepository, EventPublisher, PinoLogger],
          useFactory: (n: NotificationRepository, p: EventPublisher, logger: PinoLogger) => new RetryDispatcher(n, p, logger, env.NOTIFY_RETRY_POLL_MS),
        },
        repositoryProvider(DeliveryCheckRepository),
        {
          provide: DeliveryWatch,
          inject: [KafkaConnection, NotificationRepository, DeliveryCheckRepository, PinoLogger],
          useFactory: (k: KafkaConnection, n: NotificationRepository, c: DeliveryCheckRepository, logger: PinoLogger) => new DeliveryWatch(k, n, c, logger, parseCheckAfter(env.NOTIFY_SMS_CHECK_AFTER)),
        },
        {
          provide: DeliveryCheckDispatcher,
          inject: [NotificationRepository, DeliveryCheckRepository, EventPublisher, PinoLogger],
          useFactory: (n: NotificationRepository, c: DeliveryCheckRepository, p: EventPublisher, logger: PinoLogger) =>
            new DeliveryCheckDispatcher(n, c, p, logger, parseCheckAfter(env.NOTIFY_SMS_CHECK_AFTER), env.NOTIFY_SMS_CHECK_POLL_MS),
        },
        {
          provide: TemplateOverridesCache,
          inject: [TemplateRepository, PinoLogger],
          useFactory: (t: TemplateRepository, logger: PinoLogger) => new TemplateOverridesCache(t, logger, env.TEMPLATE_REFRESH_MS),
        },
        repositoryProvider(AgentRepository),
        {
          provide: NotifyCustomerUseCase,
          inject: [NotificationRepository, TemplateOverridesCache, AgentRepository],
          useFactory: (n: NotificationRepository, cache: TemplateOverridesCache, agents: AgentRepository) =>
            new NotifyCustomerUseCase(
              n,
              { defaultLanguage: env.NOTIFIER_DEFAULT_LANGUAGE, maxPerContactPerHour: env.NOTIFY_MAX_PER_CONTACT_PER_HOUR },
              () => cache.current(),
              async (agentIds) => {
                const found = await findByIds(agents.agents, agentIds, { 'profile.displayName': 1 });
                return new Map([...found].flatMap(([id, agent]) => (agent.profile?.displayName ? [[id, agent.profile.displayName] as const] : [])));
              },
            ),
        },
        NotifierConsumers,
      ],
    };
  }
}
