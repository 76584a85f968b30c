/**
 * Remembers which events a consumer group has handled, behind a unique key, so a redelivered
 * event (after a crash or rebalance) is skipped. Implemented over MongoDB in libs/persistence.
 */
export interface ProcessedEventStore {
  has(consumerGroup: string, eventId: string): Promise<boolean>;
  /** Records the event; recording it twice is not an error. */
  mark(consumerGroup: string, eventId: string): Promise<void>;
}
