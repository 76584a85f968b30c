import { deterministicId, OutboundMessage, TicketEvent } from '@switchboard/contracts';
import { NotificationRepository } from '@switchboard/persistence';
import { acknowledgement, replyLanguage } from '@switchboard/templates';

/**
 * Tells the customer their ticket number when a ticket opens, on the channel they wrote from.
 * The notification is stored under an id derived from the ticket before it is sent, so a
 * redelivered ticket event re-sends the same message id (deduplicated by the channel), never a second one.
 */
export class AcknowledgeTicketUseCase {
  constructor(private readonly notifications: NotificationRepository) {}

  async execute(event: TicketEvent, now: Date): Promise<OutboundMessage | null> {
    if (event.type !== 'ticket.opened') return null;
    // An auto-reply or list mail answered automatically is how mail loops start.
    if (event.message?.autoSubmitted) return null;
    const { ticket } = event;
    const language = replyLanguage(ticket.language);
    const { text, subject } = acknowledgement(language, { ticketNumber: ticket.number, category: ticket.category, triage: ticket.triage });
    const stored = await this.notifications.insertOnce({
      _id: deterministicId('notification', 'acknowledgement', ticket.id),
      ticketId: ticket.id,
      kind: 'acknowledgement',
      channel: ticket.channel,
      contactKey: ticket.contactKey,
      language,
      text,
      status: 'queued',
      deliveries: [],
      createdAt: now,
      updatedAt: now,
    });
    return {
      schemaVersion: 1,
      eventId: deterministicId('outbound', stored._id),
      notificationId: stored._id,
      kind: 'acknowledgement',
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      channel: ticket.channel,
      contact: ticket.contact,
      contactKey: ticket.contactKey,
      language,
      text: stored.text,
      subject,
      automatic: true,
      ...(event.message?.channel === 'email' ? { inReplyTo: event.message.providerMessageId } : {}),
      createdAt: new Date(stored.createdAt).toISOString(),
    };
  }
}
