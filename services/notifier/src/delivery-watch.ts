import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Consumer, EachBatchPayload } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { holdReceiptsMs, isFinalDelivery, planDeliveryCheck, unfinishedDeliveries } from '@switchboard/channels';
import { DeliveryReceipt, deliveryReceiptSchema } from '@switchboard/contracts';
import { KafkaConnection } from '@switchboard/messaging';
import { findByIds, NotificationRepository } from '@switchboard/persistence';
import { DeliveryCheckDocument, DeliveryCheckRepository } from './delivery-check.repository';
import { NotifierLogger } from './notifier-logger';

/** How long a held stretch sleeps between looks at whether it must let go (stop, rebalance). */
const HOLD_SLICE_MS = 1_000;
/** Before a stretch that could not be judged is fetched again. */
const FAILURE_PAUSE_MS = 5_000;

/**
 * Notices SMS notifications whose receipts stopped before a final one: Twilio posts each status
 * callback once, so one posted while channel-sms was down is gone, and the notification would stay
 * `queued`/`sent` for good.
 *
 * It reads `deliveries` again, in a consumer group of its own, the first check delay behind: each
 * fetched stretch is held until its newest receipt is that old. By then a message's `sent` and
 * `delivered` (seconds apart) are in the stretch, or in an earlier one, so a message that went
 * well is recognised from the stretch alone, with no database read and no write; only a message
 * whose stretch ends without a final receipt is read (one `{_id: {$in}}` read per stretch), and only
 * one still not final in `notifications` is written, to `notification_delivery_checks`, where the
 * DeliveryCheckDispatcher takes it. Kafka's committed offsets are its memory: a stretch is
 * committed once judged, so a restart or a rebalance during a hold reads it again (and watching a
 * notification twice is one entry).
 *
 * A raw kafkajs consumer rather than an EventConsumer: a hold lasts minutes, and must let go at
 * once when the group rebalances (kafkajs cannot rejoin while a batch is in hand, and the member
 * would be evicted) or the service stops; what it let go of is not resolved and is fetched again.
 */
export class DeliveryWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: Consumer;
  private stopping = false;
  private rebalancing = false;
  private held = 0;

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly notifications: NotificationRepository,
    private readonly checks: DeliveryCheckRepository,
    private readonly logger: NotifierLogger,
    private readonly checkAfterMs: readonly number[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.checkAfterMs.length === 0) return;
    const consumer = this.kafka.kafka.consumer({ groupId: this.kafka.topicName('notifier-delivery-watch'), sessionTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => (this.rebalancing = true));
    consumer.on(consumer.events.GROUP_JOIN, () => (this.rebalancing = false));
    await consumer.connect();
    // From the beginning, like every group: at the first start, what stalled before is checked once.
    await consumer.subscribe({ topic: this.kafka.topicName('deliveries'), fromBeginning: true });
    await consumer.run({ partitionsConsumedConcurrently: 16, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  /** Stretches being held right now (for tests and diagnostics). */
  get holding(): number {
    return this.held;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const receipts = batch.messages.flatMap((m): DeliveryReceipt[] => {
      try {
        const parsed = deliveryReceiptSchema.safeParse(JSON.parse(m.value?.toString() ?? 'null'));
        // The notifier's receipt consumer dead-letters what is invalid; here it is only skipped.
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
    const held = () => this.stopping || this.rebalancing || !isRunning() || isStale();
    this.held++;
    const ready = await this.hold(holdReceiptsMs(receipts, new Date(), this.checkAfterMs[0]), held, heartbeat).finally(() => this.held--);
    if (!ready) return;
    let watched: number;
    try {
      watched = await this.judge(receipts, new Date());
    } catch (error) {
      // Not resolved: the stretch is fetched and judged again after a pause (the database may be down).
      this.logger.warn({ partition: batch.partition, err: String(error) }, 'could not judge a stretch of receipts; trying again');
      await this.hold(FAILURE_PAUSE_MS, held, heartbeat);
      return;
    }
    if (watched > 0) this.logger.info({ partition: batch.partition, receipts: receipts.length, watched }, 'SMS deliveries without a final receipt; checks scheduled');
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
  }

  /** Waits `ms` in slices, heartbeating; false as soon as it must let go (stop, rebalance, lost partition). */
  private async hold(ms: number, mustLetGo: () => boolean, heartbeat: () => Promise<void>): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      if (mustLetGo()) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      await sleep(Math.min(HOLD_SLICE_MS, left));
      try {
        await heartbeat();
      } catch {
        return false;
      }
    }
  }

  /** The stretch's stalled SMS notifications still not final in `notifications`, put under watch; how many. */
  async judge(receipts: readonly DeliveryReceipt[], now: Date): Promise<number> {
    const open = unfinishedDeliveries(receipts, 'sms');
    if (open.size === 0) return 0;
    const stored = await findByIds(this.notifications.raw, open.keys(), { status: 1, channel: 1, providerMessageId: 1, 'deliveries.at': 1 });
    const entries: DeliveryCheckDocument[] = [];
    for (const [id, seen] of open) {
      const notification = stored.get(id);
      if (!notification || notification.channel !== 'sms' || isFinalDelivery(notification.status)) continue;
      // Counted from its very last receipt, also one stored after this stretch (then a check comes later).
      const since = new Date(Math.max(seen.lastAt.getTime(), ...(notification.deliveries ?? []).map((d) => new Date(d.at).getTime())));
      const plan = planDeliveryCheck({ status: notification.status, since, checksDone: 0 }, now, this.checkAfterMs);
      if (plan.kind === 'stop') continue;
      const providerMessageId = notification.providerMessageId ?? seen.providerMessageId;
      entries.push({ _id: id, channel: 'sms', since, checksDone: 0, dueAt: plan.kind === 'wait' ? plan.dueAt : now, ...(providerMessageId ? { providerMessageId } : {}), createdAt: now });
    }
    return this.checks.watch(entries);
  }
}
