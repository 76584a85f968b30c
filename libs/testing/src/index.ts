export * from './customer-socket';
export * from './platform-under-test';
export * from './service-process';
export * from './test-infra';
export * from './topic-reader';
export * from './fake-twilio';
export * from './smtp-sink';
