import { Injectable } from '@nestjs/common';
import { OUTBOUND_CONSUMING, RetryPolicy } from '@switchboard/messaging';
import { ConsumerRegistry } from '@switchboard/service-kit';
import { SendSmsUseCase } from './send-sms.use-case';

/**
 * Twilio answering 5xx or 429 is an outage of seconds to minutes, not of the 1.5 s the default
 * policy rides out: retried for about half a minute to a minute before the event is dead-lettered
 * (the chaos run's provider outage found this). Each pause stays well under the session timeout.
 */
export const SMS_SEND_RETRY: RetryPolicy = { attempts: 8, initialDelayMs: 500, maxDelayMs: 15_000 };

@Injectable()
export class OutboundConsumer {
  constructor(consumers: ConsumerRegistry, send: SendSmsUseCase) {
    consumers.register({
      groupId: 'channel-sms',
      topic: 'outbound.sms',
      // A batch at a time: its claims, results and receipts are written together (see SendSmsUseCase).
      handleBatch: async (items, { signal }) => {
        const again = await send.executeBatch(
          items.map((item) => item.event),
          signal,
        );
        return { failed: items.filter((item) => again.has(item.event.notificationId)).map((item) => ({ item, error: again.get(item.event.notificationId) })) };
      },
      retry: SMS_SEND_RETRY,
      ...OUTBOUND_CONSUMING,
    });
  }
}
