export * from './default-templates';
export * from './message-kinds';
export * from './render-message';
export * from './snippets';
export * from './survey-answer';
