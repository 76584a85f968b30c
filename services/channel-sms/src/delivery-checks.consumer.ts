import { Injectable } from '@nestjs/common';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { CheckDeliveryUseCase } from './check-delivery.use-case';

/**
 * `delivery-checks`, a batch at a time, without the processed-event store: a check writes nothing,
 * and asking Twilio twice makes the same receipt twice, which the notifier records once.
 */
@Injectable()
export class DeliveryChecksConsumer {
  constructor(consumers: ConsumerRegistry, check: CheckDeliveryUseCase) {
    consumers.register({
      groupId: 'channel-sms-checks',
      topic: 'delivery-checks',
      processed: undefined,
      partitionsConsumedConcurrently: 16,
      handleBatch: async (items, { signal }) => {
        const again = await check.executeBatch(items.map((i) => i.event), signal);
        return { failed: items.filter((i) => again.has(i.event.eventId)).map((item) => ({ item, error: again.get(item.event.eventId) })) };
      },
    });
  }
}
