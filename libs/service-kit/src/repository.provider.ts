import { FactoryProvider, Type } from '@nestjs/common';
import { Connection } from 'mongoose';
import { MONGO_CONNECTION } from './infra.tokens';

interface Repository {
  ensureIndexes(): Promise<void>;
}

/** A repository on the service's connection, with its indexes in place before anything uses it. */
export function repositoryProvider<T extends Repository>(type: Type<T> & (new (connection: Connection) => T)): FactoryProvider<T> {
  return {
    provide: type,
    inject: [MONGO_CONNECTION],
    useFactory: async (connection: Connection) => {
      const repository = new type(connection);
      await repository.ensureIndexes();
      return repository;
    },
  };
}
