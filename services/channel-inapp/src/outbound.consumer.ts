import { Injectable } from '@nestjs/common';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { InappDeliveryService } from './inapp-delivery.service';

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, delivery: InappDeliveryService) {
    consumers.register({ groupId: 'channel-inapp', topic: 'outbound.inapp', handle: (outbound) => delivery.deliver(outbound) });
  }
}
