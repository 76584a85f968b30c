import { Consumer, EachBatchPayload, EachMessagePayload, KafkaJSError, KafkaMessage } from 'kafkajs';
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

export interface BatchItem<T extends Topic> {
  event: EventOf<T>;
  context: MessageContext;
}

/** What a batch handler could not do; each is handled again alone, in order, under the retry policy. */
export interface BatchOutcome<T extends Topic> {
  failed: { item: BatchItem<T>; error: unknown }[];
}

export interface ConsumerOptions<T extends Topic> {
  groupId: string;
  topic: T;
  /** One event at a time. Give this or `handleBatch`. */
  handle?: (event: EventOf<T>, context: MessageContext) => Promise<void>;
  /**
   * Batch mode: the valid events of up to `maxBatchSize` messages of one partition, in offset
   * order, each event id once. It must be idempotent like `handle` (a crash replays the whole
   * batch). It may report some items failed and the rest done; a throw means "could not tell",
   * and every item is then handled again alone. Handled alone, an item gets the same retries
   * and dead-lettering as in `handle` mode, so one poison event goes to the dead-letter topic by
   * itself and the rest of the batch is not held back or lost.
   */
  handleBatch?: (items: BatchItem<T>[], control: BatchControl) => Promise<BatchOutcome<T> | void>;
  /** Messages per `handleBatch` call (batch mode only); default 200. */
  maxBatchSize?: number;
  /** Skips events this group already handled; without it the handler must be idempotent alone. */
  processed?: ProcessedEventStore;
  retry?: RetryPolicy;
  /**
   * Partitions handled at once (kafkajs `partitionsConsumedConcurrently`); each partition stays in
   * order, so one key's events (a ticket's, a contact's) are still handled one after another.
   * Default 1. Above it the handler runs concurrently for different keys, so waiting on the
   * database or broker for one no longer holds up the rest: opt in only where handlers of
   * different keys share no state, or guard what they share (the router's key locks).
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long `stop` waits for the batch in hand before it gives up on it (default 8 s, inside
   * compose's 10 s and Kubernetes' 30 s before SIGKILL). What was not finished by then is not
   * committed, so it is delivered again after the restart.
   */
  stopGraceMs?: number;
  /**
   * Batch mode: a partition's next fetch starts no sooner than this after the last one began
   * (default 0). Events that come in pairs tens of milliseconds apart (a notification's `sent` and
   * `delivered` receipts) then reach the handler in one call instead of two. The events wait in
   * Kafka, not in memory. No wait after a fetch that filled a whole batch (more are waiting),
   * after one with failures (its events are being retried), or once the consumer is stopping.
   */
  minFetchIntervalMs?: number;
}

/** What a batch handler is told besides its items. */
export interface BatchControl {
  /**
   * Aborted when the service is stopping: finish what is under way, start nothing new, and report
   * the items not done as failed. They are not retried then; the chunk is left uncommitted and
   * delivered again after the restart, so the handler must recognise what it already did.
   */
  signal: AbortSignal;
}

/** Thrown out of kafkajs' eachMessage so that it does not resolve an event the stop interrupted. */
class StoppingError extends KafkaJSError {
  constructor() {
    super('consumer stopping: the event is left uncommitted for redelivery', { retriable: false });
  }
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
  private readonly stopping = new AbortController();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly deadLetters: EventPublisher,
    private readonly options: ConsumerOptions<T>,
    private readonly logger: MessagingLogger,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    if (!options.handle === !options.handleBatch) throw new Error(`consumer ${options.groupId}: give exactly one of handle and handleBatch`);
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
    const partitionsConsumedConcurrently = Math.max(1, this.options.partitionsConsumedConcurrently ?? 1);
    await this.consumer.run(
      this.options.handleBatch
        ? // Offsets are resolved by onBatch as each chunk's effects are stored, never by kafkajs on its own.
          { partitionsConsumedConcurrently, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) }
        : { partitionsConsumedConcurrently, eachMessage: (payload) => this.onMessage(payload) },
    );
    this.running = true;
  }

  /**
   * Finishes what is under way, commits what was processed and leaves the group. Retries waiting
   * for their time are dropped and a batch handler is told to start nothing new (`BatchControl`):
   * what they had not done stays uncommitted and comes back after the restart. Under a backlog
   * the stop used to wait for a whole batch of up to 200 events (and their retries' sleeps).
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping.abort();
    const graceMs = this.options.stopGraceMs ?? 8_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    try {
      const outcome = await Promise.race([this.consumer.disconnect().then(() => 'stopped' as const), late]);
      if (outcome === 'late') this.logger.warn({ groupId: this.options.groupId, graceMs }, 'consumer still busy after its stop grace: what it holds stays uncommitted and is delivered again');
    } finally {
      clearTimeout(timer);
    }
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const event = await this.decode(topic, partition, message);
    if (!event) return;
    const base = originOf(topic, partition, message);
    const { groupId, processed } = this.options;
    if (processed && (await processed.has(groupId, event.eventId))) {
      this.logger.info({ ...base, eventId: event.eventId }, 'skipping an event already processed');
      return;
    }
    const handle = this.options.handle ?? (async (e: EventOf<T>, context: MessageContext) => this.batchOfOne({ event: e, context }));
    const done = await this.withRetries({ event, context: { ...base, attempt: 1 } }, message, 1, heartbeat, (item) => handle(item.event, item.context));
    if (done === 'interrupted') throw new StoppingError();
    if (done && processed) await processed.mark(groupId, event.eventId);
  }

  /**
   * Chunks of one partition's fetch, one after another: decoded (the invalid dead-lettered), each
   * event id once, skipped when already processed, handed to `handleBatch`; what it could not do
   * is handled alone. A chunk's last offset is resolved only then, so a crash replays it.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const began = performance.now();
    const size = Math.max(1, this.options.maxBatchSize ?? 200);
    // A chunk can take a while (a provider answering slowly): the group must still hear from us.
    const alive = setInterval(() => heartbeat().catch(() => undefined), 2_000);
    try {
      let clean = true;
      for (let start = 0; start < batch.messages.length; start += size) {
        if (!isRunning() || isStale() || this.stopping.signal.aborted) return;
        const chunk = batch.messages.slice(start, start + size);
        const outcome = await this.handleChunk(batch.topic, batch.partition, chunk, heartbeat);
        // Interrupted by a stop: not resolved, so the whole chunk comes back (handlers are idempotent).
        if (outcome === 'interrupted') return;
        if (outcome === 'retried') clean = false;
        resolveOffset(chunk[chunk.length - 1].offset);
        await heartbeat();
      }
      const left = began + (this.options.minFetchIntervalMs ?? 0) - performance.now();
      if (left > 0 && clean && batch.messages.length < size) await this.pause(left);
    } finally {
      clearInterval(alive);
    }
  }

  /**
   * 'clean' when the handler did every event at once, 'retried' when some were handled again alone
   * (or dead-lettered), 'interrupted' when a stop came before every event was handled.
   */
  private async handleChunk(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>): Promise<'clean' | 'retried' | 'interrupted'> {
    const { groupId, processed } = this.options;
    const items: { item: BatchItem<T>; message: KafkaMessage }[] = [];
    const seen = new Set<string>();
    for (const message of messages) {
      const event = await this.decode(topic, partition, message);
      if (!event || seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      items.push({ item: { event, context: { ...originOf(topic, partition, message), attempt: 1 } }, message });
    }
    const fresh = processed ? await this.notProcessed(items) : items;
    if (fresh.length === 0) return 'clean';

    let retry: { item: BatchItem<T>; message: KafkaMessage; nextAttempt: number; error?: unknown }[];
    try {
      const outcome = await this.handleBatch(fresh.map((f) => f.item));
      const failed = new Map((outcome?.failed ?? []).map((f) => [f.item.event.eventId, f.error]));
      retry = fresh.filter((f) => failed.has(f.item.event.eventId)).map((f) => ({ ...f, nextAttempt: 2, error: failed.get(f.item.event.eventId) }));
      if (retry.length > 0 && this.stopping.signal.aborted) {
        this.logger.info({ topic, partition, left: retry.length, of: fresh.length }, 'stopping: events of the batch not done are left for redelivery');
        return 'interrupted';
      }
      if (retry.length > 0) {
        this.logger.warn({ topic, partition, failed: retry.length, of: fresh.length, err: describeError(failed.values().next().value) }, 'some events of a batch failed, retrying them one by one');
        if (!(await this.pause(retryDelayMs(this.retry, 1)))) return 'interrupted';
      }
    } catch (error) {
      // Which ones failed is unknown: each is handled alone, so a poison event cannot take the rest with it.
      this.logger.warn({ topic, partition, events: fresh.length, err: describeError(error) }, 'batch failed, handling its events one by one');
      retry = fresh.map((f) => ({ ...f, nextAttempt: 1 }));
    }

    const failedIds = new Set<string>();
    for (const { item, message, nextAttempt, error } of retry) {
      if (this.stopping.signal.aborted) return 'interrupted';
      if (nextAttempt > this.retry.attempts) {
        // The batch was its only attempt.
        await this.deadLetter(originOf(item.context.topic, item.context.partition, message), message, 'handler', describeError(error), 1);
        failedIds.add(item.event.eventId);
        continue;
      }
      const done = await this.withRetries(item, message, nextAttempt, heartbeat, (one) => this.batchOfOne(one));
      if (done === 'interrupted') return 'interrupted';
      if (!done) failedIds.add(item.event.eventId);
    }
    if (processed) await Promise.all(fresh.filter((f) => !failedIds.has(f.item.event.eventId)).map((f) => processed.mark(groupId, f.item.event.eventId)));
    return retry.length > 0 ? 'retried' : 'clean';
  }

  /** Sleeps unless the consumer is stopping; false when a stop cut it short. */
  private async pause(ms: number): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  private handleBatch(items: BatchItem<T>[]): Promise<BatchOutcome<T> | void> {
    if (!this.options.handleBatch) throw new Error('not in batch mode');
    return this.options.handleBatch(items, { signal: this.stopping.signal });
  }

  private async batchOfOne(item: BatchItem<T>): Promise<void> {
    const outcome = await this.handleBatch([item]);
    const failure = outcome?.failed.find((f) => f.item.event.eventId === item.event.eventId);
    if (failure) throw failure.error;
  }

  private async notProcessed<I extends { item: BatchItem<T> }>(items: I[]): Promise<I[]> {
    const { groupId, processed } = this.options;
    if (!processed) return items;
    const known = await Promise.all(items.map((i) => processed.has(groupId, i.item.event.eventId)));
    for (const [n, i] of items.entries()) if (known[n]) this.logger.info({ ...i.item.context, eventId: i.item.event.eventId }, 'skipping an event already processed');
    return items.filter((_, n) => !known[n]);
  }

  /**
   * Handles one event until it succeeds (true) or the attempts run out and it is dead-lettered
   * (false); 'interrupted' when it failed while the consumer is stopping: not retried, not
   * dead-lettered, left for redelivery.
   */
  private async withRetries(item: BatchItem<T>, message: KafkaMessage, firstAttempt: number, heartbeat: () => Promise<void>, run: (item: BatchItem<T>) => Promise<void>): Promise<boolean | 'interrupted'> {
    const { topic, partition, offset, key } = item.context;
    const base = { topic, partition, offset, key };
    for (let attempt = firstAttempt; ; attempt++) {
      try {
        await run({ event: item.event, context: { ...base, attempt } });
        return true;
      } catch (error) {
        if (this.stopping.signal.aborted) return 'interrupted';
        if (attempt >= this.retry.attempts) {
          await this.deadLetter(base, message, 'handler', describeError(error), attempt);
          return false;
        }
        this.logger.warn({ ...base, eventId: item.event.eventId, attempt, err: describeError(error) }, 'handler failed, retrying');
        if (!(await this.pause(retryDelayMs(this.retry, attempt)))) return 'interrupted';
        await heartbeat();
      }
    }
  }

  /** The event, or null when it does not match its schema (then it is dead-lettered). */
  private async decode(topic: string, partition: number, message: KafkaMessage): Promise<EventOf<T> | null> {
    try {
      return TOPIC_SCHEMAS[this.options.topic].parse(JSON.parse(message.value?.toString() ?? 'null')) as EventOf<T>;
    } catch (error) {
      await this.deadLetter(originOf(topic, partition, message), message, 'invalid', describeError(error), 0);
      return null;
    }
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

function originOf(topic: string, partition: number, message: KafkaMessage): Omit<MessageContext, 'attempt'> {
  return { topic, partition, offset: message.offset, key: message.key?.toString() ?? null };
}
