export * from './attributes';
export * from './default-workflow';
export * from './expression';
export * from './select-target';
export * from './workflow';
