export * from './customer-socket';
export * from './fake-meta-graph';
export * from './fake-telegram';
export * from './platform-under-test';
export * from './service-process';
export * from './test-infra';
export * from './topic-reader';
export * from './fake-twilio';
