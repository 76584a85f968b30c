import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ConsumerOptions, EventConsumer, EventPublisher, KafkaConnection, ProcessedEventStore } from '@switchboard/messaging';
import { Topic } from '@switchboard/contracts';
import { PROCESSED_EVENTS } from './infra.tokens';
import { messagingLogger } from './pino-messaging-logger';

/**
 * Services register their topic handlers here while they are constructed; consumption starts once
 * the whole application is up and stops, committing what was handled, before connections close.
 */
@Injectable()
export class ConsumerRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers: EventConsumer<Topic>[] = [];

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    @Inject(PROCESSED_EVENTS) private readonly processed: ProcessedEventStore,
  ) {}

  /** Idempotent by default (processed-event store); pass `processed: undefined` to opt out. */
  register<T extends Topic>(options: Omit<ConsumerOptions<T>, 'processed'> & Partial<Pick<ConsumerOptions<T>, 'processed'>>): void {
    const withStore = { processed: this.processed, ...options } as ConsumerOptions<T>;
    this.consumers.push(new EventConsumer(this.kafka, this.publisher, withStore, messagingLogger(this.logger)) as unknown as EventConsumer<Topic>);
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
