import { DynamicModule, Module } from '@nestjs/common';
import { NotificationRepository } from '@switchboard/persistence';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { NotifyCustomerUseCase } from './notify-customer.use-case';
import { NotifierEnv } from './notifier.config';
import { NotifierConsumers } from './notifier.consumers';

@Module({})
export class NotifierModule {
  static forRoot(env: NotifierEnv): DynamicModule {
    return {
      module: NotifierModule,
      imports: [InfraModule.forRoot('notifier', env)],
      providers: [
        repositoryProvider(NotificationRepository),
        {
          provide: NotifyCustomerUseCase,
          inject: [NotificationRepository],
          useFactory: (n: NotificationRepository) => new NotifyCustomerUseCase(n, { defaultLanguage: env.NOTIFIER_DEFAULT_LANGUAGE }),
        },
        NotifierConsumers,
      ],
    };
  }
}
