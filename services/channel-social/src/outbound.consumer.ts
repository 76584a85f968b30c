import { Injectable } from '@nestjs/common';
import { OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { SendSocialUseCase } from './send-social.use-case';
import { sendPerContact } from './send-per-contact';

/**
 * In batches (see sendPerContact), so the sends' claims and records go to the database together
 * (SocialSendRepository); one message at a time per partition, every write of every message
 * waited for the lock alone.
 */
@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendSocialUseCase) {
    consumers.register({
      groupId: 'channel-social',
      topic: 'outbound.social',
      handleBatch: (items, { signal }) => sendPerContact(items, (item) => send.execute(item.event), signal),
      ...OUTBOUND_CONSUMING,
    });
  }
}
