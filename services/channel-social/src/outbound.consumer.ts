import { Injectable } from '@nestjs/common';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { SendSocialUseCase } from './send-social.use-case';

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendSocialUseCase) {
    consumers.register({ groupId: 'channel-social', topic: 'outbound.social', handle: (outbound) => send.execute(outbound), ...OUTBOUND_CONSUMING });
  }
}
