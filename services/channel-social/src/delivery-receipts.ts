import { Injectable } from '@nestjs/common';
import { deterministicId, DeliveryStatus } from '@switchboard/contracts';
import { EventPublisher } from '@switchboard/messaging';

/** Receipts on `deliveries`; one event id per notification and status, so repeats (our `sent` and WhatsApp's) are one. */
@Injectable()
export class DeliveryReceipts {
  constructor(private readonly publisher: EventPublisher) {}

  publish(notificationId: string, status: DeliveryStatus, details: { providerMessageId?: string; error?: { code?: string; message: string }; at?: Date } = {}): Promise<void> {
    return this.publisher.publish(
      'deliveries',
      {
        schemaVersion: 1,
        eventId: deterministicId('delivery', notificationId, status),
        notificationId,
        channel: 'social',
        status,
        ...(details.providerMessageId ? { providerMessageId: details.providerMessageId } : {}),
        ...(details.error ? { error: details.error } : {}),
        occurredAt: (details.at ?? new Date()).toISOString(),
      },
      { key: notificationId },
    );
  }
}
