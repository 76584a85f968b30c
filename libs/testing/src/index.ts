export * from './service-process';
export * from './test-infra';
export * from './topic-reader';
