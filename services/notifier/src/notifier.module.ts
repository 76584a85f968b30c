import { DynamicModule, Module } from '@nestjs/common';
import { Connection } from 'mongoose';
import { NotificationRepository } from '@switchboard/persistence';
import { InfraModule, MONGO_CONNECTION } from '@switchboard/service-kit';
import { AcknowledgeTicketUseCase } from './acknowledge-ticket.use-case';
import { NotifierEnv } from './notifier.config';
import { NotifierConsumers } from './notifier.consumers';

@Module({})
export class NotifierModule {
  static forRoot(env: NotifierEnv): DynamicModule {
    return {
      module: NotifierModule,
      imports: [InfraModule.forRoot('notifier', env)],
      providers: [
        {
          provide: NotificationRepository,
          inject: [MONGO_CONNECTION],
          useFactory: async (connection: Connection) => {
            const repository = new NotificationRepository(connection);
            await repository.ensureIndexes();
            return repository;
          },
        },
        { provide: AcknowledgeTicketUseCase, inject: [NotificationRepository], useFactory: (n: NotificationRepository) => new AcknowledgeTicketUseCase(n) },
        NotifierConsumers,
      ],
    };
  }
}
