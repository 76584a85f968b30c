export interface MessagingConfig {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name, so tests and tenants can share one cluster without colliding. */
  topicPrefix: string;
  /** Partitions for topics this service creates; messages keep order per key whatever the count. */
  partitions: number;
}

/** The slice of a logger the Kafka layer needs; pino and Nest loggers both fit. */
export interface MessagingLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
