// What the EventConsumer specs (one event at a time, and in batches) start from.
// Named `.test.ts` so the build leaves it out and jest (which runs `*.spec.ts`) does not take it for a suite.
import { deterministicId, InboundMessage } from '@switchboard/contracts';
import { MessagingLogger } from './messaging-config';
import { ProcessedEventStore } from './processed-event-store';

export const quiet: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The n-th in-app message of `contact`, with provider message id `m-<n>`. */
export function inbound(n: number, contact = 'user-1'): InboundMessage {
  return {
    schemaVersion: 1,
    eventId: deterministicId('test', String(n)),
    channel: 'inapp',
    provider: 'inapp',
    providerMessageId: `m-${n}`,
    contact: { channel: 'inapp', address: contact },
    contactKey: `inapp::${contact}`,
    text: `message ${n}`,
    receivedAt: new Date().toISOString(),
    attachments: [],
    identities: [],
    autoSubmitted: false,
    metadata: {},
  };
}

/** Processed-event keys in memory: the consumer's contract, without a database. */
export class MemoryProcessedEvents implements ProcessedEventStore {
  readonly seen = new Set<string>();
  async has(group: string, id: string) {
    return this.seen.has(`${group}|${id}`);
  }
  async mark(group: string, id: string) {
    this.seen.add(`${group}|${id}`);
  }
}
