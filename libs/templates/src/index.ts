export * from './acknowledgement';
