import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OutboundMessage, outboundMessageSchema, outboundTopic } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { NotificationRepository } from '@switchboard/persistence';
import { PollLoop } from './poll-loop';

/**
 * Hands retries to their channel once due. Every notifier instance polls; two handing over the
 * same retry is harmless, as the channel sends a notification id once.
 */
export class RetryDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    pollMs: number,
  ) {
    this.loop = new PollLoop(() => this.dispatchDue(new Date()), pollMs, (error) => this.logger.warn({ err: String(error) }, 'could not hand due retries to their channels; trying again'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  async dispatchDue(now: Date): Promise<number> {
    const due = await this.notifications.dueRetries(now, 100);
    for (const retry of due) {
      const parsed = outboundMessageSchema.safeParse(retry.outbound);
      if (!parsed.success) {
        this.logger.error({ notificationId: retry._id, issues: parsed.error.issues.slice(0, 3) }, 'stored retry is not a valid outbound message; dropping it');
        await this.notifications.markDispatched(retry._id, now);
        continue;
      }
      const outbound: OutboundMessage = parsed.data;
      await this.publisher.publish(outboundTopic(outbound.channel), outbound, { key: outbound.contactKey });
      await this.notifications.markDispatched(retry._id, now);
      this.logger.info({ notificationId: retry._id, retryOf: retry.retryOf, retry: retry.retry, channel: outbound.channel }, 'retry handed to the channel');
    }
    return due.length;
  }
}
