import { Injectable } from '@nestjs/common';
import { OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { InappDeliveryService } from './inapp-delivery.service';

/**
 * In batches, each partition side by side, without the processed-event store: the outbox's
 * unique `_id` (the notification id) already tells a redelivery apart, and the store's lookup and
 * write per message were two of the four database commands an in-app message cost.
 */
@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, delivery: InappDeliveryService) {
    consumers.register({ groupId: 'channel-inapp', topic: 'outbound.inapp', handleBatch: (items) => delivery.deliverMany(items.map((i) => i.event)), ...OUTBOUND_CONSUMING });
  }
}
