import { Injectable } from '@nestjs/common';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { SendSmsUseCase } from './send-sms.use-case';

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendSmsUseCase) {
    consumers.register({ groupId: 'channel-sms', topic: 'outbound.sms', handle: (outbound) => send.execute(outbound) });
  }
}
