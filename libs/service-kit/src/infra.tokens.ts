/** Injection tokens of what InfraModule provides. */
export const INFRA_ENV = Symbol('INFRA_ENV');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
export const PROCESSED_EVENTS = Symbol('PROCESSED_EVENTS');
