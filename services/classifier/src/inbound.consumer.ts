import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventOf } from '@switchboard/contracts';
import { BatchItem, BatchOutcome, EventPublisher } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { ClassifyMessageUseCase } from './classify-message.use-case';

@Injectable()
export class InboundConsumer {
  constructor(consumers: ConsumerRegistry, publisher: EventPublisher, private readonly useCase: ClassifyMessageUseCase, private readonly logger: PinoLogger) {
    consumers.register({
      groupId: 'classifier',
      topic: 'inbound',
      // No processed-event keys: classifying has no effect but the classified event, whose id is
      // derived from the message's, and the router stores a message once by that id. The keys
      // cost two database inserts a message for nothing, and made the classifier the next hop
      // whose lag grew under load.
      processed: undefined,
      // A partition holds a contact's messages in order; contacts share nothing here.
      partitionsConsumedConcurrently: 16,
      maxBatchSize: 200,
      handleBatch: async (items) => {
        const outcome = this.classifyAll(items);
        await publisher.publishMany(outcome.classified.map((classified) => ({ topic: 'classified', event: classified, key: classified.inbound.contactKey })));
        for (const { inbound, classification, triage } of outcome.classified) {
          this.logger.info({ eventId: inbound.eventId, category: classification.category, confidence: classification.confidence, triage }, 'classified');
        }
        return { failed: outcome.failed };
      },
    });
  }

  /** A message the classifier throws on is handed back alone (retried, then dead-lettered); the rest go on. */
  private classifyAll(items: BatchItem<'inbound'>[]): { classified: EventOf<'classified'>[]; failed: BatchOutcome<'inbound'>['failed'] } {
    const classified: EventOf<'classified'>[] = [];
    const failed: BatchOutcome<'inbound'>['failed'] = [];
    const now = new Date();
    for (const item of items) {
      try {
        classified.push(this.useCase.execute(item.event, now));
      } catch (error) {
        failed.push({ item, error });
      }
    }
    return { classified, failed };
  }
}
