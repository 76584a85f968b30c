import { ClassifiedMessage, deterministicId, InboundMessage } from '@switchboard/contracts';
import { Classifier } from '@switchboard/classification';

/** Text in, category + confidence + language + entities out; the triage flag follows the threshold of the message's language. */
export class ClassifyMessageUseCase {
  constructor(private readonly classifier: Classifier) {}

  execute(inbound: InboundMessage, now: Date): ClassifiedMessage {
    const classification = this.classifier.classify({
      text: inbound.text,
      subject: inbound.subject,
      channel: inbound.channel,
      receivedAt: inbound.receivedAt,
    });
    return {
      schemaVersion: 1,
      eventId: deterministicId('classified', inbound.eventId),
      inbound,
      classification,
      triage: this.classifier.needsTriage(classification),
      classifiedAt: now.toISOString(),
    };
  }
}
