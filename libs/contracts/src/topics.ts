import { z } from 'zod';
import { Channel } from './channels';
import {
  classifiedMessageSchema,
  commandSchema,
  deliveryCheckSchema,
  deliveryReceiptSchema,
  inboundMessageSchema,
  outboundMessageSchema,
  ticketEventSchema,
} from './events';

/** Every hand-over between services is one topic; the schema is the only definition of its events. */
export const TOPIC_SCHEMAS = {
  inbound: inboundMessageSchema,
  classified: classifiedMessageSchema,
  tickets: ticketEventSchema,
  'outbound.email': outboundMessageSchema,
  'outbound.sms': outboundMessageSchema,
  'outbound.social': outboundMessageSchema,
  'outbound.inapp': outboundMessageSchema,
  deliveries: deliveryReceiptSchema,
  /** Keyed by notification id; consumed by the channel that sent it (channel-sms). */
  'delivery-checks': deliveryCheckSchema,
  commands: commandSchema,
} as const;

export type Topic = keyof typeof TOPIC_SCHEMAS;
export type EventOf<T extends Topic> = z.infer<(typeof TOPIC_SCHEMAS)[T]>;
export const TOPICS = Object.keys(TOPIC_SCHEMAS) as Topic[];

export const DEAD_LETTER_TOPIC = 'dead-letter';

export function outboundTopic(channel: Channel): Topic {
  return `outbound.${channel}`;
}

/** Headers a dead letter carries so an operator can tell why and where it failed, and replay it. */
export const DEAD_LETTER_HEADERS = {
  error: 'x-dlq-error',
  reason: 'x-dlq-reason',
  originTopic: 'x-dlq-origin-topic',
  originPartition: 'x-dlq-origin-partition',
  originOffset: 'x-dlq-origin-offset',
  consumerGroup: 'x-dlq-consumer-group',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
} as const;

/** `invalid` events never succeed on retry; `handler` failures did, up to the retry limit. */
export type DeadLetterReason = 'invalid' | 'handler';
