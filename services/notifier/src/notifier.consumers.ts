import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { outboundTopic } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';
import { NotificationRepository } from '@switchboard/persistence';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';
import { NOTIFIER_ENV, NotifierEnv } from './notifier.config';
import { DeliveryReceiptsHandler, RECEIPT_BATCH_SIZE } from './delivery-receipts.handler';

/**
 * Both handlers are idempotent by themselves (notifications and retries are inserted under ids
 * derived from their cause, receipts are recorded once by receipt id), so they skip the
 * processed-event store and its lookup and write per event; partitions are handled side by side
 * (one ticket's events, one notification's receipts stay in order on their partition).
 *
 * Both take their events in batches: FerretDB commits each single-document write on its own under
 * the database's write lock, so a batch's notifications go in one insertMany, its outbound
 * messages in one produce request, and its receipts in one write per notification (see
 * DeliveryReceiptsHandler, and its fold window).
 */
const CONSUMING = { processed: undefined, partitionsConsumedConcurrently: 16, maxBatchSize: 200 } as const;

@Injectable()
export class NotifierConsumers {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, notify: NotifyCustomerUseCase,
    failures: DeliverOrRetryUseCase, notifications: NotificationRepository, logger: PinoLogger, @Inject(NOTIFIER_ENV) env: NotifierEnv) {
    consumers.register({
      ...CONSUMING,
      groupId: 'notifier',
      topic: 'tickets',
      handleBatch: async (items) => {
        const outbound = (await notify.executeBatch(items.map((i) => i.event), new Date())).flat();
        await publisher.publishMany(outbound.map((o) => ({ topic: outboundTopic(o.channel), event: o, key: o.contactKey })));
        // One line per batch; each notification at debug (a line each was most of the notifier's logging CPU).
        if (outbound.length > 0) logger.info({ events: items.length, notifications: outbound.length }, 'notifications handed to the channels');
        for (const o of outbound) logger.debug({ ticket: o.ticketNumber, kind: o.kind, notificationId: o.notificationId, channel: o.channel }, 'notification handed to the channel');
      },
    });
    const receipts = new DeliveryReceiptsHandler(notifications, failures, publisher, logger);
    consumers.register({
      ...CONSUMING,
      maxBatchSize: RECEIPT_BATCH_SIZE,
      minFetchIntervalMs: env.NOTIFY_RECEIPT_FOLD_MS,
      groupId: 'notifier-deliveries',
      topic: 'deliveries',
      handleBatch: (items) => receipts.handleBatch(items),
    });
  }
}
