export * from './simulate';
export * from './traffic';
