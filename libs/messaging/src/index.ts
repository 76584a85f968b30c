export * from './describe-error';
export * from './event-consumer';
export * from './event-publisher';
export * from './kafka-connection';
export * from './messaging-config';
export * from './processed-event-store';
export * from './retry-policy';
export * from './dead-letter-replay';
