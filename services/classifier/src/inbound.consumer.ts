import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventPublisher } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { ClassifyMessageUseCase } from './classify-message.use-case';

@Injectable()
export class InboundConsumer {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, useCase: ClassifyMessageUseCase, logger: PinoLogger) {
    consumers.register({
      groupId: 'classifier',
      topic: 'inbound',
      handle: async (inbound) => {
        const classified = useCase.execute(inbound, new Date());
        await publisher.publish('classified', classified, { key: inbound.contactKey });
        const { category, confidence } = classified.classification;
        logger.info({ eventId: inbound.eventId, category, confidence, triage: classified.triage }, 'classified');
      },
    });
  }
}
