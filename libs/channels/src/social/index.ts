export * from './messenger-webhook';
export * from './social-send';
export * from './social-webhook';
export * from './telegram-update';
export * from './webhook-auth';
export * from './whatsapp-webhook';
