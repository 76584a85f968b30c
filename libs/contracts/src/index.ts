export * from './classification';
export * from './channels';
export * from './events';
export * from './ids';
export * from './topics';
export * from './ticket-token';
