import { ClassifiedMessage, deterministicId, TicketEvent } from '@switchboard/contracts';
import { TicketDocument, TicketRepository } from '@switchboard/persistence';
import { selectTarget, Workflow } from '@switchboard/routing';
import { ticketEvent } from './ticket-event';

/**
 * Threads a classified message onto the contact's open ticket, or opens a routed one.
 * Every write is keyed by the message's event id (message `_id`, ticket id derived from it), so
 * running this again for the same message - after a crash, a rebalance, a redelivery - finds what
 * the first run stored and returns the same event instead of creating anything twice.
 */
export class OpenOrThreadTicketUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly workflow: Workflow,
  ) {}

  async execute(classified: ClassifiedMessage, now: Date): Promise<TicketEvent> {
    const { inbound } = classified;
    const openerId = deterministicId('ticket', inbound.eventId);

    const stored = await this.tickets.findMessage(inbound.eventId);
    if (stored) {
      const ticket = await this.tickets.findTicket(stored.ticketId);
      if (!ticket) throw new Error(`message ${inbound.eventId} refers to missing ticket ${stored.ticketId}`);
      return ticketEvent(ticket._id === openerId ? 'ticket.opened' : 'ticket.message_added', ticket, inbound.eventId, now);
    }

    const ticket = (await this.tickets.findOpenTicket(inbound.contactKey)) ?? (await this.openTicket(openerId, classified, now));
    await this.tickets.insertMessage({
      _id: inbound.eventId,
      ticketId: ticket._id,
      direction: 'inbound',
      channel: inbound.channel,
      provider: inbound.provider,
      providerMessageId: inbound.providerMessageId,
      contactKey: inbound.contactKey,
      text: inbound.text,
      subject: inbound.subject,
      receivedAt: new Date(inbound.receivedAt),
      classification: classified.classification,
      storedAt: now,
    });
    if (ticket._id === openerId) return ticketEvent('ticket.opened', ticket, inbound.eventId, now);
    const touched = (await this.tickets.touchTicket(ticket._id, new Date(inbound.receivedAt))) ?? ticket;
    return ticketEvent('ticket.message_added', touched, inbound.eventId, now);
  }

  private async openTicket(id: string, classified: ClassifiedMessage, now: Date): Promise<TicketDocument> {
    const previous = await this.tickets.findTicket(id);
    if (previous) return previous;
    const { inbound, classification } = classified;
    const decision = selectTarget(this.workflow, {
      category: classification.category,
      confidence: classification.confidence,
      triage: classified.triage,
      language: classification.language,
      channel: inbound.channel,
      urgency: classification.urgency,
    });
    return this.tickets.insertNewTicket((number) => ({
      _id: id,
      number,
      status: 'open',
      category: classification.category,
      confidence: classification.confidence,
      triage: classified.triage,
      queue: decision.queue,
      priority: decision.priority,
      language: classification.language,
      urgency: classification.urgency,
      channel: inbound.channel,
      contact: inbound.contact,
      contactKey: inbound.contactKey,
      routing: { filter: decision.filter, step: decision.step, explanation: decision.explanation, decidedAt: now },
      openedAt: new Date(inbound.receivedAt),
      lastMessageAt: new Date(inbound.receivedAt),
      updatedAt: now,
    }));
  }
}
