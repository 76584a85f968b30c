import { Injectable } from '@nestjs/common';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { OUTBOUND_CONSUMING } from '@switchboard/messaging';
import { SendEmailUseCase } from './send-email.use-case';

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendEmailUseCase) {
    consumers.register({ groupId: 'channel-email', topic: 'outbound.email', handle: (outbound) => send.execute(outbound), ...OUTBOUND_CONSUMING });
  }
}
