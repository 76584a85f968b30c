import { Command, deterministicId, TicketEvent } from '@switchboard/contracts';
import { AgentMessageDocument, ContactRepository, TicketDocument, TicketRepository } from '@switchboard/persistence';
import { ticketSnapshot } from './ticket-event';

/** Commands about the conversation rather than routing: handled here, not by the routing engine. */
export const CONVERSATION_COMMANDS = ['ticket.reply', 'ticket.add_note', 'ticket.set_pending', 'contact.set_language'] as const;
type ConversationCommandType = (typeof CONVERSATION_COMMANDS)[number];
export type ConversationCommand = Command & { command: Extract<Command['command'], { type: ConversationCommandType }> };

export function isConversationCommand(command: Command): command is ConversationCommand {
  return (CONVERSATION_COMMANDS as readonly string[]).includes(command.command.type);
}

export type ConversationOutcome =
  /**
   * `respond`: the reply is the agent's answer, which stops the first-response SLA clock (the engine's `respond`).
   * `waits`: the ticket now waits for the customer, its SLA clocks to be paused by the lease holder.
   */
  | { kind: 'done'; event?: TicketEvent; respond?: { ticketId: string }; waits?: { ticketId: string } }
  | { kind: 'ignored'; reason: string };

/**
 * Agent replies, internal notes, waiting for the customer, and the language a person wants.
 *
 * An agent acts only on a ticket assigned to them (supervisors and admins on any). What an agent
 * writes is stored in the ticket's conversation under an id derived from the command's event id,
 * and the ticket event's id derives from it too, so a redelivered command publishes the same event
 * and stores nothing new. A reply goes back to the address and channel of the customer's latest
 * message (its provider id keeps the email thread).
 */
export class ConversationCommandsUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly contacts: ContactRepository,
  ) {}

  async execute({ eventId, actor, issuedAt, command }: ConversationCommand, now: Date): Promise<ConversationOutcome> {
    if (command.type === 'contact.set_language') {
      const personId = await this.contacts.setLanguage(command.contactKey, command.language);
      if (!personId) return { kind: 'ignored', reason: `no contact ${command.contactKey}` };
      await this.tickets.setPreferredLanguage(personId, command.language);
      return { kind: 'done' };
    }

    const ticket = await this.tickets.findTicket(command.ticketId);
    if (!ticket) return { kind: 'ignored', reason: 'no such ticket' };
    const messageId = deterministicId('agent-message', eventId);
    const event = (type: TicketEvent['type'], current: TicketDocument, extra: Partial<TicketEvent> = {}): TicketEvent => ({
      schemaVersion: 1,
      eventId: deterministicId('ticket-event', type, eventId),
      type,
      ticket: ticketSnapshot(current),
      ...extra,
      causationId: eventId,
      occurredAt: now.toISOString(),
    });

    const stored = await this.tickets.findAgentMessage(messageId);
    if (!stored) {
      const refusal = refuse(actor, ticket, command);
      if (refusal) return { kind: 'ignored', reason: refusal };
    }

    switch (command.type) {
      case 'ticket.reply': {
        const latest = await this.tickets.latestInboundMessage(ticket._id);
        const contactKey = latest?.contactKey ?? ticket.contactKey;
        const contact = (latest && latest.contactKey !== ticket.contactKey ? (await this.contacts.find(latest.contactKey))?.contact : undefined) ?? ticket.contact;
        const reply: AgentMessageDocument = stored ?? {
          _id: messageId,
          ticketId: ticket._id,
          direction: 'outbound',
          agentId: command.agentId,
          text: command.text,
          channel: contact.channel,
          contactKey,
          receivedAt: new Date(issuedAt),
          storedAt: now,
        };
        if (!stored) await this.tickets.insertAgentMessage(reply);
        return {
          kind: 'done',
          event: event('ticket.agent_replied', ticket, {
            message: {
              channel: contact.channel,
              providerMessageId: latest?.providerMessageId ?? ticket._id,
              contact,
              contactKey,
              ...(latest?.subject ? { subject: latest.subject } : {}),
              autoSubmitted: false,
            },
            reply: { messageId, agentId: reply.agentId, text: reply.text },
          }),
          respond: { ticketId: ticket._id },
        };
      }
      case 'ticket.add_note': {
        const note: AgentMessageDocument = stored ?? { _id: messageId, ticketId: ticket._id, direction: 'internal', agentId: actor.id, text: command.text, receivedAt: new Date(issuedAt), storedAt: now };
        if (!stored) await this.tickets.insertAgentMessage(note);
        return { kind: 'done', event: event('ticket.note_added', ticket, { reply: { messageId, agentId: note.agentId, text: note.text } }) };
      }
      case 'ticket.set_pending': {
        const pending = await this.tickets.setPending(ticket._id, now);
        if (!pending) return { kind: 'ignored', reason: `ticket is ${ticket.status}` };
        return { kind: 'done', event: event('ticket.pending', pending), waits: { ticketId: pending._id } };
      }
    }
  }
}

/** Why this actor may not do this to this ticket, or undefined when they may. */
function refuse(actor: Command['actor'], ticket: TicketDocument, command: ConversationCommand['command']): string | undefined {
  if (command.type === 'contact.set_language') return undefined;
  if (actor.role === 'agent' && ticket.assigneeId !== actor.id) return `ticket is not assigned to agent ${actor.id}`;
  if (command.type === 'ticket.reply' && actor.role === 'agent' && command.agentId !== actor.id) return `agent ${actor.id} cannot reply as ${command.agentId}`;
  if (ticket.status === 'resolved' && command.type !== 'ticket.add_note') return 'ticket is resolved';
  return undefined;
}
