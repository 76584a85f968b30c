export * from './attributes';
export * from './default-workflow';
export * from './expression';
export * from './select-target';
export * from './workflow';
export * from './engine/model';
export * from './engine/routing-engine';
export * from './simulation';
