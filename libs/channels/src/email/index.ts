export * from './auto-submitted';
export * from './bounce';
export * from './inbound-email';
export * from './message-ids';
export * from './outbound-email';
export * from './recipients';
export * from './reply-text';
export * from './sender-authentication';
