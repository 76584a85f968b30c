import { Category, deterministicId, Entities, Language, NotificationKind, OutboundMessage, TicketEvent } from '@switchboard/contracts';
import { NotificationRepository } from '@switchboard/persistence';
import { MissingDetail, renderMessage, RenderedMessage, TemplateOverrides } from '@switchboard/templates';

export interface NotifyOptions {
  /** Used when the message's language could not be told (`und`). */
  defaultLanguage: Exclude<Language, 'und'>;
  /** At most this many automatic messages to one address per rolling hour; the rest are stored, not sent. */
  maxPerContactPerHour: number;
}

/** One message to send: its kind, what makes it unique (ticket or event), and its rendered text. */
interface Plan {
  kind: NotificationKind;
  key: string;
  message: RenderedMessage;
}

const NEEDS_DETAILS: readonly Category[] = ['transaction_failed', 'refund'];
const URGENT = ['takeover_in_progress', 'stolen_device'];

/**
 * Decides what the customer is told about their ticket, on the channel they wrote from, in their
 * language. Each notification is stored under an id derived from its cause before it is sent, so
 * a redelivered ticket event re-sends the same message id (the channels deduplicate), never a second one.
 *
 * - opened: *received* (number, category, self-help), asking in the same message for whatever a
 *   payment or refund case is missing (time, amount, merchant): one message, not two at once;
 *   *escalated* too when an account is being taken over or a phone was stolen.
 * - reopened: *reopened*; assigned to an agent with a display name: *assigned*, once per agent.
 *   Follow-ups and auto-submitted mail get nothing.
 */
export class NotifyCustomerUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly options: NotifyOptions = { defaultLanguage: 'en', maxPerContactPerHour: 20 },
    private readonly templates: () => TemplateOverrides = () => ({}),
    /** The name customers know an agent by, when the agent has one. */
    private readonly agentName: (agentId: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  async execute(event: TicketEvent, now: Date): Promise<OutboundMessage[]> {
    if (event.message?.autoSubmitted) return []; // answering machines is how mail loops start
    const plans = await this.plan(event);
    const sent: OutboundMessage[] = [];
    for (const plan of plans) {
      const outbound = await this.store(event, plan, now);
      if (outbound) sent.push(outbound);
    }
    return sent;
  }

  private async plan(event: TicketEvent): Promise<Plan[]> {
    const { ticket } = event;
    const language = this.language(ticket.language);
    const vars = { ticketNumber: ticket.number, category: ticket.category };
    const overrides = this.templates();
    if (event.type === 'ticket.opened') {
      const received = renderMessage('received', language, ticket.channel, vars, overrides);
      const missing = NEEDS_DETAILS.includes(ticket.category) && !ticket.triage ? missingDetails(event.message?.entities) : [];
      const plans: Plan[] = [{ kind: 'received', key: ticket.id, message: missing.length > 0 ? withDetails(received, renderMessage('need_details', language, ticket.channel, { ...vars, missing }, overrides), ticket.channel) : received }];
      if (ticket.category === 'account_security' && ticket.urgency.some((flag) => URGENT.includes(flag))) {
        plans.push({ kind: 'escalated', key: ticket.id, message: renderMessage('escalated', language, ticket.channel, vars, overrides) });
      }
      return plans;
    }
    if (event.type === 'ticket.reopened') return [{ kind: 'reopened', key: event.eventId, message: renderMessage('reopened', language, ticket.channel, vars, overrides) }];
    const agentId = event.routing?.agentId;
    if (event.type === 'ticket.assigned' && agentId) {
      // Only a named agent is announced: "agent-17 is handling your ticket" tells the customer nothing.
      const agentName = await this.agentName(agentId);
      if (agentName) return [{ kind: 'assigned', key: `${ticket.id}:${agentId}`, message: renderMessage('assigned', language, ticket.channel, { ...vars, agentName }, overrides) }];
    }
    return [];
  }

  /** Stores the notification; returns what to hand to the channel, or null when the contact's rate limit holds it back. */
  private async store(event: TicketEvent, plan: Plan, now: Date): Promise<OutboundMessage | null> {
    const { ticket } = event;
    const language = this.language(ticket.language);
    const id = deterministicId('notification', plan.kind, plan.key);
    const existing = await this.notifications.find(id);
    // A customer who opens ticket after ticket must not be flooded; what is held back stays visible to agents.
    const limited = !existing && (await this.notifications.countSentTo(ticket.contactKey, new Date(now.getTime() - 3600_000))) >= this.options.maxPerContactPerHour;
    const stored = existing ?? await this.notifications.insertOnce({
      _id: id,
      ticketId: ticket.id,
      kind: plan.kind,
      channel: ticket.channel,
      contactKey: ticket.contactKey,
      ...(ticket.personId ? { personId: ticket.personId } : {}),
      ticketNumber: ticket.number,
      category: ticket.category,
      language,
      text: plan.message.text,
      status: limited ? 'failed' : 'queued',
      ...(limited ? { errorCode: 'rate_limited' } : {}),
      deliveries: [],
      createdAt: now,
      updatedAt: now,
    });
    if (stored.errorCode === 'rate_limited') return null;
    return {
      schemaVersion: 1,
      eventId: deterministicId('outbound', stored._id),
      notificationId: stored._id,
      kind: plan.kind,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      channel: ticket.channel,
      contact: ticket.contact,
      contactKey: ticket.contactKey,
      language,
      text: stored.text,
      ...(plan.message.subject ? { subject: plan.message.subject } : {}),
      ...(plan.message.html ? { html: plan.message.html } : {}),
      automatic: true,
      ...(event.message?.channel === 'email' && ticket.channel === 'email' ? { inReplyTo: event.message.providerMessageId } : {}),
      createdAt: new Date(stored.createdAt).toISOString(),
    };
  }

  private language(detected: Language): Exclude<Language, 'und'> {
    return detected === 'und' ? this.options.defaultLanguage : detected;
  }
}

export function missingDetails(entities: Entities | undefined): MissingDetail[] {
  if (!entities) return [];
  const missing: MissingDetail[] = [];
  if (!entities.incidentTime && !entities.incidentTimeText) missing.push('time');
  if (entities.amounts.length === 0) missing.push('amount');
  if (entities.merchants.length === 0) missing.push('merchant');
  return missing;
}

/** The received message with the request for details: appended in chat and email, in place of the self-help in an SMS. */
function withDetails(received: RenderedMessage, details: RenderedMessage, channel: TicketEvent['ticket']['channel']): RenderedMessage {
  if (channel === 'sms') return details;
  return {
    ...received,
    text: `${received.text}\n\n${details.text}`,
    ...(received.html && details.html ? { html: `${received.html}\n${details.html}` } : {}),
  };
}
