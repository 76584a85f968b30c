import { Consumer, EachMessagePayload, KafkaMessage } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_TOPIC, DeadLetterReason, EventOf, Topic, TOPIC_SCHEMAS } from '@switchboard/contracts';
import { describeError } from './describe-error';
import { EventPublisher } from './event-publisher';
import { KafkaConnection } from './kafka-connection';
import { MessagingLogger } from './messaging-config';
import { ProcessedEventStore } from './processed-event-store';
import { DEFAULT_RETRY_POLICY, retryDelayMs, RetryPolicy } from './retry-policy';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  attempt: number;
}

export interface ConsumerOptions<T extends Topic> {
  groupId: string;
  topic: T;
  handle: (event: EventOf<T>, context: MessageContext) => Promise<void>;
  /** Skips events this group already handled; without it the handler must be idempotent alone. */
  processed?: ProcessedEventStore;
  retry?: RetryPolicy;
  /**
   * Partitions handled at once (kafkajs `partitionsConsumedConcurrently`); each partition stays in
   * order, so one key's events (a ticket's, a contact's) are still handled one after another.
   * Default 1. Above it the handler runs concurrently for different keys, so waiting on the
   * database or broker for one no longer holds up the rest: opt in only where handlers of
   * different keys share no state (the router's contact merges do, so it stays at 1).
   */
  partitionsConsumedConcurrently?: number;
}

/**
 * Validates, de-duplicates and handles one topic's events in order per partition. A handler that
 * keeps failing, or an event that does not match its schema, goes to the dead-letter topic with the
 * reason and origin in headers, and the partition moves on. Nothing is committed before it is either
 * handled or dead-lettered, so a crash at any point means redelivery, never loss.
 */
export class EventConsumer<T extends Topic> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private running = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly deadLetters: EventPublisher,
    private readonly options: ConsumerOptions<T>,
    private readonly logger: MessagingLogger,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.consumer = connection.kafka.consumer({
      groupId: connection.topicName(options.groupId),
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // An idle fetch returns within this; it bounds how long a graceful stop waits.
      maxWaitTimeInMs: 500,
      retry: { retries: 10 },
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // A new group starts from the beginning: events published before the first deploy are not skipped.
    await this.consumer.subscribe({ topic: this.connection.topicName(this.options.topic), fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: Math.max(1, this.options.partitionsConsumedConcurrently ?? 1),
      eachMessage: (payload) => this.onMessage(payload),
    });
    this.running = true;
  }

  /** Finishes the message in hand, commits what was processed and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const base = { topic, partition, offset: message.offset, key: message.key?.toString() ?? null };
    let event: EventOf<T>;
    try {
      event = TOPIC_SCHEMAS[this.options.topic].parse(JSON.parse(message.value?.toString() ?? 'null')) as EventOf<T>;
    } catch (error) {
      await this.deadLetter(base, message, 'invalid', describeError(error), 0);
      return;
    }

    const { groupId, processed } = this.options;
    if (processed && (await processed.has(groupId, event.eventId))) {
      this.logger.info({ ...base, eventId: event.eventId }, 'skipping an event already processed');
      return;
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handle(event, { ...base, attempt });
        break;
      } catch (error) {
        if (attempt >= this.retry.attempts) {
          await this.deadLetter(base, message, 'handler', describeError(error), attempt);
          return;
        }
        this.logger.warn({ ...base, eventId: event.eventId, attempt, err: describeError(error) }, 'handler failed, retrying');
        await sleep(retryDelayMs(this.retry, attempt));
        await heartbeat();
      }
    }
    if (processed) await processed.mark(groupId, event.eventId);
  }

  private async deadLetter(
    origin: Omit<MessageContext, 'attempt'>,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
  ): Promise<void> {
    this.logger.error({ ...origin, reason, error }, 'sending event to the dead-letter topic');
    const headers: Record<string, string> = {
      [DEAD_LETTER_HEADERS.error]: error.slice(0, 4_000),
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.originTopic]: origin.topic,
      [DEAD_LETTER_HEADERS.originPartition]: String(origin.partition),
      [DEAD_LETTER_HEADERS.originOffset]: origin.offset,
      [DEAD_LETTER_HEADERS.consumerGroup]: this.options.groupId,
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    };
    // If this send fails the error propagates, the offset is not committed, and the event comes back.
    await this.deadLetters.sendRaw(DEAD_LETTER_TOPIC, message.value, { key: origin.key ?? origin.topic, headers });
  }
}
