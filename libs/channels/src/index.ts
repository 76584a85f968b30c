export * from './inapp/identity-token';
export * from './inapp/inapp-message';
export * from './sms';
export * from './social';
export * from './email';
export * from './delivery/delivery-retry';
export * from './delivery/delivery-check';
export * from './batching/coalescer';
