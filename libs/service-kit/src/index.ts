export * from './consumer-registry';
export * from './env-config';
export * from './health.controller';
export * from './infra.module';
export * from './infra.tokens';
export * from './pino-messaging-logger';
export * from './run-service';
export * from './zod-body.pipe';
