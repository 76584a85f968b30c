import { Category, Contact, deterministicId, Entities, Language, NotificationKind, OutboundMessage, TicketEvent } from '@switchboard/contracts';
import { NotificationDocument, NotificationRepository, storedOutbound } from '@switchboard/persistence';
import { MessageVars, MissingDetail, renderMessage, RenderedMessage, TemplateOverrides } from '@switchboard/templates';

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
  /** What the text was made of, so a fallback can render it again for another channel. */
  vars?: MessageVars;
  /** Where to send it when not to the ticket's own address (an agent reply goes where the customer wrote last). */
  to?: { contact: Contact; contactKey: string };
  /** An agent's words: not an automatic message (no auto-reply marking, no automatic-message rate limit). */
  automatic?: boolean;
}

/** A notification about to be stored; `counterExists` tells the rate limit's counter write to insert or increment. */
interface Draft {
  doc: NotificationDocument;
  outbound: OutboundMessage;
  counterExists?: boolean;
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
 * - waiting (no agent free) with an expected wait: one *queue_update* per ticket with the place in
 *   the queue and the wait; the *received* message does not wait for routing, so the customer hears at once.
 * - agent_replied: the agent's text (*agent_reply*, not automatic), on the channel and address of
 *   the customer's latest message, keeping the email thread; pending: *waiting_for_customer*;
 *   resolved: *resolved* with the one-question survey; the survey's answer: *survey_thanks*, once per ticket.
 * - Follow-ups, notes and auto-submitted mail get nothing.
 *
 * Language: the one the person chose, else the one detected in the ticket, else the default.
 */
export class NotifyCustomerUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly options: NotifyOptions = { defaultLanguage: 'en', maxPerContactPerHour: 20 },
    private readonly templates: () => TemplateOverrides = () => ({}),
    /** The names customers know these agents by, for those who have one: one read for a whole batch. */
    private readonly agentNames: (agentIds: readonly string[]) => Promise<Map<string, string>> = async () => new Map(),
  ) {}

  async execute(event: TicketEvent, now: Date): Promise<OutboundMessage[]> {
    return (await this.executeBatch([event], now))[0];
  }

  /**
   * A batch of ticket events: what to send for each (in order), stored with one insertMany and
   * counted against the rate limit with one write per address at most. Idempotent like `execute`:
   * a redelivered event finds its notification stored and hands over the same message again.
   */
  async executeBatch(events: readonly TicketEvent[], now: Date): Promise<OutboundMessage[][]> {
    const agentIds = new Set(events.flatMap((event) => [event.type === 'ticket.assigned' ? event.routing?.agentId : undefined, event.type === 'ticket.agent_replied' ? event.reply?.agentId : undefined]).filter((id): id is string => Boolean(id)));
    const names = agentIds.size > 0 ? await this.agentNames([...agentIds]) : new Map<string, string>();
    const planned = events.map((event) => (event.message?.autoSubmitted ? [] : this.plan(event, names))); // answering machines is how mail loops start
    const drafts = new Map<string, Draft>();
    const perEvent = events.map((event, i) =>
      planned[i].map((plan) => {
        const draft = this.draft(event, plan, now);
        // The same cause twice in a batch (a redelivery next to the original) is one notification.
        const first = drafts.get(draft.doc._id) ?? draft;
        drafts.set(draft.doc._id, first);
        return first;
      }),
    );
    await this.applyRateLimit([...drafts.values()], now);
    const stored = await this.notifications.insertManyOnce([...drafts.values()].map((d) => d.doc));
    const outcome = new Map<string, { stored: NotificationDocument; fresh: boolean }>(stored.map((s) => [s.stored._id, s]));

    // Counted by whoever stored it, so a redelivery does not count twice; a held-back one is not a send.
    const sends = new Map<string, { contactKey: string; n: number; counterExists: boolean }>();
    for (const draft of drafts.values()) {
      const result = outcome.get(draft.doc._id);
      if (!result?.fresh || !draft.doc.automatic || draft.doc.errorCode === 'rate_limited') continue;
      const entry = sends.get(draft.doc.contactKey) ?? { contactKey: draft.doc.contactKey, n: 0, counterExists: draft.counterExists ?? true };
      entry.n++;
      sends.set(draft.doc.contactKey, entry);
    }
    await this.notifications.countSends([...sends.values()], now);

    const handedOver = new Set<string>();
    return perEvent.map((list) =>
      list.flatMap((draft) => {
        const result = outcome.get(draft.doc._id);
        if (!result || result.stored.errorCode === 'rate_limited' || handedOver.has(draft.doc._id)) return [];
        handedOver.add(draft.doc._id);
        // A redelivered event repeats exactly what was stored the first time.
        return [{ ...draft.outbound, text: result.stored.text, createdAt: new Date(result.stored.createdAt).toISOString() }];
      }),
    );
  }

  /**
   * A customer who opens ticket after ticket must not be flooded; what is held back stays visible
   * to agents. An agent's reply is never held back: the customer is waiting for it. The count is
   * this hour's and part of the last hour's counter (every address's two counters in one
   * `{_id: {$in}}` read), plus what this batch already sends to the address. No read of the notification first: the insert's unique `_id` tells a
   * redelivery apart.
   */
  private async applyRateLimit(drafts: Draft[], now: Date): Promise<void> {
    const automatic = drafts.filter((d) => d.doc.automatic);
    const keys = [...new Set(automatic.map((d) => d.doc.contactKey))];
    const recent = keys.length > 0 ? await this.notifications.recentSendsMany(keys, now) : new Map<string, { count: number; counterExists: boolean }>();
    const inBatch = new Map<string, number>();
    for (const draft of automatic) {
      const { count, counterExists } = recent.get(draft.doc.contactKey) ?? { count: 0, counterExists: false };
      const already = inBatch.get(draft.doc.contactKey) ?? 0;
      draft.counterExists = counterExists;
      if (count + already >= this.options.maxPerContactPerHour) {
        draft.doc.status = 'failed';
        draft.doc.errorCode = 'rate_limited';
      } else inBatch.set(draft.doc.contactKey, already + 1);
    }
  }

  private plan(event: TicketEvent, agentNames: ReadonlyMap<string, string>): Plan[] {
    const { ticket } = event;
    const language = this.language(ticket);
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
      const agentName = agentNames.get(agentId);
      if (agentName) return [{ kind: 'assigned', key: `${ticket.id}:${agentId}`, message: renderMessage('assigned', language, ticket.channel, { ...vars, agentName }, overrides), vars: { ...vars, agentName } }];
    }
    // Only with an estimate: "number 4 in the queue" alone (no agent on, nothing to go by) is one more message saying nothing new.
    if (event.type === 'ticket.waiting' && event.routing?.queuePosition !== undefined && event.routing.expectedWaitSeconds !== undefined) {
      const { queuePosition, expectedWaitSeconds } = event.routing;
      const queueVars = { ...vars, queuePosition, expectedWaitSeconds };
      return [{ kind: 'queue_update', key: ticket.id, message: renderMessage('queue_update', language, ticket.channel, queueVars, overrides), vars: queueVars }];
    }
    if (event.type === 'ticket.agent_replied' && event.reply) {
      const contact = event.message?.contact ?? ticket.contact;
      const contactKey = event.message?.contactKey ?? ticket.contactKey;
      const agentName = agentNames.get(event.reply.agentId);
      const replyVars = { ...vars, replyText: event.reply.text, ...(agentName ? { agentName } : {}) };
      return [{ kind: 'agent_reply', key: event.reply.messageId, message: renderMessage('agent_reply', language, contact.channel, replyVars, overrides), vars: replyVars, to: { contact, contactKey }, automatic: false }];
    }
    if (event.type === 'ticket.pending') return [{ kind: 'waiting_for_customer', key: event.eventId, message: renderMessage('waiting_for_customer', language, ticket.channel, vars, overrides) }];
    if (event.type === 'ticket.resolved') return [{ kind: 'resolved', key: event.eventId, message: renderMessage('resolved', language, ticket.channel, vars, overrides) }];
    // Keyed by ticket: the first answer is the one recorded, and a later rating repeats it in its event.
    if (event.type === 'ticket.survey_answered' && event.survey) {
      const surveyVars = { ...vars, surveyScore: event.survey.score };
      return [{ kind: 'survey_thanks', key: ticket.id, message: renderMessage('survey_thanks', language, ticket.channel, surveyVars, overrides), vars: surveyVars }];
    }
    return [];
  }

  /** The notification as it would be stored, and the message for its channel. */
  private draft(event: TicketEvent, plan: Plan, now: Date): Draft {
    const { ticket } = event;
    const language = this.language(ticket);
    const contact = plan.to?.contact ?? ticket.contact;
    const contactKey = plan.to?.contactKey ?? ticket.contactKey;
    const automatic = plan.automatic ?? true;
    const id = deterministicId('notification', plan.kind, plan.key);
    const outbound: OutboundMessage = {
      schemaVersion: 1,
      eventId: deterministicId('outbound', id),
      notificationId: id,
      kind: plan.kind,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      channel: contact.channel,
      contact,
      contactKey,
      language,
      text: plan.message.text,
      ...(plan.message.subject ? { subject: plan.message.subject } : {}),
      ...(plan.message.html ? { html: plan.message.html } : {}),
      automatic,
      ...(event.message?.channel === 'email' && contact.channel === 'email' ? { inReplyTo: event.message.providerMessageId } : {}),
      createdAt: now.toISOString(),
    };
    const doc: NotificationDocument = {
      _id: id,
      ticketId: ticket.id,
      kind: plan.kind,
      channel: contact.channel,
      contactKey,
      ...(ticket.personId ? { personId: ticket.personId } : {}),
      ticketNumber: ticket.number,
      category: ticket.category,
      language,
      text: plan.message.text,
      ...(plan.vars ? { vars: { ...plan.vars } } : {}),
      outbound: storedOutbound(outbound),
      automatic,
      status: 'queued',
      deliveries: [],
      createdAt: now,
      updatedAt: now,
    };
    return { doc, outbound };
  }

  private language(ticket: TicketEvent['ticket']): Exclude<Language, 'und'> {
    return ticket.preferredLanguage ?? (ticket.language === 'und' ? this.options.defaultLanguage : ticket.language);
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
