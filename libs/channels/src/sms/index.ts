export * from './sms-delivery';
export * from './sms-encoding';
export * from './sms-inbound';
export * from './sms-keywords';
export * from './twilio-params';
export * from './webhook-url';
export * from './sms-status-check';
