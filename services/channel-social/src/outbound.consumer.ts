import { Injectable } from '@nestjs/common';
import { BatchItem, OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { SendSocialUseCase } from './send-social.use-case';

/**
 * In batches: the batch's customers side by side (each one's messages in order), so the sends'
 * claims and records go to the database together (SocialSendRepository); one message at a time
 * per partition, every write of every message waited for the lock alone.
 */
@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendSocialUseCase) {
    consumers.register({
      groupId: 'channel-social',
      topic: 'outbound.social',
      handleBatch: async (items) => {
        const byContact = new Map<string, BatchItem<'outbound.social'>[]>();
        for (const item of items) byContact.set(item.event.contactKey, [...(byContact.get(item.event.contactKey) ?? []), item]);
        const failed: { item: BatchItem<'outbound.social'>; error: unknown }[] = [];
        await Promise.all(
          [...byContact.values()].map(async (mine) => {
            for (const [n, item] of mine.entries()) {
              try {
                await send.execute(item.event);
              } catch (error) {
                // The rest of this customer's messages wait for it: retried after it, in order.
                failed.push(...mine.slice(n).map((rest) => ({ item: rest, error })));
                return;
              }
            }
          }),
        );
        return { failed };
      },
      ...OUTBOUND_CONSUMING,
    });
  }
}
