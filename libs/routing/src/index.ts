export * from './default-workflow';
export * from './select-target';
export * from './workflow';
