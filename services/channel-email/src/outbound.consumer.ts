import { Injectable } from '@nestjs/common';
import { OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { SendEmailUseCase } from './send-email.use-case';

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendEmailUseCase) {
    consumers.register({
      groupId: 'channel-email',
      topic: 'outbound.email',
      handleBatch: async (items, { signal }) => {
        const retry = await send.executeMany(
          items.map((i) => i.event),
          signal,
        );
        const byId = new Map(items.map((i) => [i.event.notificationId, i]));
        return { failed: retry.map(({ outbound, error }) => ({ item: byId.get(outbound.notificationId) ?? items[0], error })) };
      },
      ...OUTBOUND_CONSUMING,
    });
  }
}
