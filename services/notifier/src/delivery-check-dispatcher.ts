import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { planDeliveryCheck } from '@switchboard/channels';
import { DeliveryCheck, deterministicId } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { findByIds, NotificationRepository } from '@switchboard/persistence';
import { DeliveryCheckRepository } from './delivery-check.repository';
import { NotifierLogger } from './notifier-logger';
import { PollLoop } from './poll-loop';

/** Due checks handled per poll; the rest wait for the next one. */
const CHECKS_PER_POLL = 200;

/**
 * Asks the channel to check each stalled notification once its stage is due (`delivery-checks`),
 * and forgets it once final or after the last stage. Every notifier instance polls, as with
 * retries: two asking for the same check publish the same event id, and a channel asked twice
 * makes the same receipt twice, which the notifier records once.
 */
export class DeliveryCheckDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly checks: DeliveryCheckRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: NotifierLogger,
    private readonly checkAfterMs: readonly number[],
    pollMs: number,
  ) {
    this.loop = new PollLoop(() => this.dispatchDue(new Date()), pollMs, (error) => this.logger.warn({ err: String(error) }, 'could not ask for due delivery checks; trying again'));
  }

  onApplicationBootstrap(): void {
    if (this.checkAfterMs.length > 0) this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** One poll: returns how many checks it asked for. */
  async dispatchDue(now: Date): Promise<number> {
    const due = await this.checks.due(now, CHECKS_PER_POLL);
    if (due.length === 0) return 0;
    const stored = await findByIds(this.notifications.raw, due.map((d) => d._id), { status: 1, providerMessageId: 1 });
    const requests: DeliveryCheck[] = [];
    const forget: string[] = [];
    const advance: { id: string; checksDone: number; dueAt: Date }[] = [];
    for (const entry of due) {
      const notification = stored.get(entry._id);
      const plan = planDeliveryCheck({ status: notification?.status, since: new Date(entry.since), checksDone: entry.checksDone }, now, this.checkAfterMs);
      if (plan.kind === 'stop') forget.push(entry._id);
      else if (plan.kind === 'wait') advance.push({ id: entry._id, checksDone: entry.checksDone, dueAt: plan.dueAt });
      else {
        const providerMessageId = notification?.providerMessageId ?? entry.providerMessageId;
        requests.push({
          schemaVersion: 1,
          eventId: deterministicId('delivery-check', entry._id, String(plan.check)),
          notificationId: entry._id,
          channel: entry.channel,
          ...(providerMessageId ? { providerMessageId } : {}),
          check: plan.check,
          requestedAt: now.toISOString(),
        });
        if (plan.nextDueAt) advance.push({ id: entry._id, checksDone: plan.check, dueAt: plan.nextDueAt });
        else forget.push(entry._id);
      }
    }
    // Asked before the entry moves on: a crash in between asks again, which is harmless.
    await this.publisher.publishMany(requests.map((event) => ({ topic: 'delivery-checks' as const, event, key: event.notificationId })));
    for (const a of advance) await this.checks.advance(a.id, a.checksDone, a.dueAt);
    await this.checks.forget(forget);
    if (requests.length > 0) this.logger.info({ checks: requests.length, last: requests.filter((r) => r.check === this.checkAfterMs.length).length, forgotten: forget.length }, 'asked the channel to check stalled deliveries');
    return requests.length;
  }
}
