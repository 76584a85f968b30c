export * from './contact.repository';
export * from './inapp-outbox.repository';
export * from './mongo-connection';
export * from './notification.repository';
export * from './processed-event.store';
export * from './ticket.repository';
export * from './ticket.schema';
export * from './template.repository';
