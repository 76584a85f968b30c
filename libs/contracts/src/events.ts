import { z } from 'zod';
import { channelSchema, contactSchema } from './channels';
import { categorySchema, classificationSchema, entitiesSchema, languageSchema, urgencyFlagSchema } from './classification';

const id = z.string().min(1).max(200);
const timestamp = z.string().datetime({ offset: true });

/** Size limit of message text on the bus; channels reject or truncate above it. */
export const MAX_TEXT_LENGTH = 100_000;

export const attachmentSchema = z
  .object({
    name: z.string().max(300).optional(),
    contentType: z.string().max(200),
    size: z.number().int().nonnegative().optional(),
    url: z.string().url().max(2000).optional(),
  })
  .strict();
export type Attachment = z.infer<typeof attachmentSchema>;

export const identitySchema = z
  .object({
    kind: z.enum(['phone', 'email']),
    /** E.164 for phones, lower-case for emails. */
    value: z.string().min(3).max(320),
    verified: z.boolean(),
  })
  .strict();
export type Identity = z.infer<typeof identitySchema>;

export const inboundMessageSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    channel: channelSchema,
    provider: z.string().min(1).max(40),
    providerMessageId: id,
    contact: contactSchema,
    contactKey: id,
    text: z.string().max(MAX_TEXT_LENGTH),
    subject: z.string().max(1000).optional(),
    receivedAt: timestamp,
    /** Hints a channel found for threading onto an existing ticket (reply headers, subject token). */
    thread: z
      .object({ ticketToken: z.string().max(100).optional(), replyTo: z.array(z.string().max(1000)).max(50).optional() })
      .strict()
      .optional(),
    attachments: z.array(attachmentSchema).max(50).default([]),
    /**
     * Phones and emails this message proves or claims; the router links contacts of one person
     * only on verified ones (a carrier-delivered SMS proves its phone, a signed in-app profile its
     * email), never on a bare From header.
     */
    identities: z.array(identitySchema).max(10).default([]),
    /** Written by a machine (auto-reply, list mail): kept on the ticket, never answered. */
    autoSubmitted: z.boolean().default(false),
    metadata: z.record(z.string().max(2000)).default({}),
  })
  .strict();
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const classifiedMessageSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    inbound: inboundMessageSchema,
    classification: classificationSchema,
    /** True when confidence is under the classifier's threshold: an agent sets the category. */
    triage: z.boolean(),
    classifiedAt: timestamp,
  })
  .strict();
export type ClassifiedMessage = z.infer<typeof classifiedMessageSchema>;

export const TICKET_STATUSES = ['open', 'assigned', 'pending', 'resolved'] as const;
export const ticketStatusSchema = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const ticketSnapshotSchema = z
  .object({
    id,
    number: z.number().int().positive(),
    status: ticketStatusSchema,
    category: categorySchema,
    confidence: z.number().min(0).max(1),
    triage: z.boolean(),
    queue: z.string().min(1).max(100),
    priority: z.number().int(),
    language: languageSchema,
    urgency: z.array(urgencyFlagSchema).default([]),
    channel: channelSchema,
    contact: contactSchema,
    contactKey: id,
    assigneeId: z.string().max(200).optional(),
    /** The person behind the contact, shared by their linked addresses on other channels. */
    personId: id.optional(),
    /** The language the person asked to be answered in (set by an agent or the customer); beats the detected one. */
    preferredLanguage: z.enum(['en', 'id', 'zh']).optional(),
    openedAt: timestamp,
  })
  .strict();
export type TicketSnapshot = z.infer<typeof ticketSnapshotSchema>;

export const TICKET_EVENT_TYPES = [
  'ticket.opened',
  'ticket.message_added',
  'ticket.reopened',
  /** Routing decisions, published by the router holding the assignment lease (`routing` says who, where and why). */
  'ticket.routed',
  'ticket.waiting',
  'ticket.offered',
  'ticket.offer_withdrawn',
  'ticket.assigned',
  'ticket.unassigned',
  'ticket.escalated',
  'ticket.resolved',
  /** An agent's reply for the customer (`reply`); the notifier relays it on the customer's channel. */
  'ticket.agent_replied',
  /** An internal note (`reply`), for agents only. */
  'ticket.note_added',
  /** The agent waits for the customer (status `pending`); the customer's next message makes it active again. */
  'ticket.pending',
  /** The customer answered the satisfaction survey sent with `ticket.resolved` (`survey`). */
  'ticket.survey_answered',
] as const;

/** What an agent wrote, on `ticket.agent_replied` and `ticket.note_added`. */
export const ticketReplySchema = z
  .object({ messageId: id, agentId: id, text: z.string().min(1).max(10_000) })
  .strict();
export type TicketReply = z.infer<typeof ticketReplySchema>;

/** The answer to the one-question survey: 1 (very unhappy) to 5 (very happy). */
export const surveyAnswerSchema = z
  .object({ score: z.number().int().min(1).max(5), messageId: id, comment: z.string().max(1000).optional() })
  .strict();
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

/** What routing decided, on routing events: the agent, the place in the queue, and why. */
export const ticketRoutingSchema = z
  .object({
    agentId: id.optional(),
    /** 1 is next; on `ticket.waiting`, so the customer can be told. */
    queuePosition: z.number().int().positive().optional(),
    expectedWaitSeconds: z.number().nonnegative().optional(),
    /** An offer not accepted by then goes to the next agent. */
    offerExpiresAt: timestamp.optional(),
    /** Why (waiting reason, withdraw reason, SLA target breached, ...). */
    reason: z.string().max(1000).optional(),
    explanation: z.array(z.string().max(2000)).max(100).default([]),
    /** Lease epoch of the router that decided: a later epoch supersedes an earlier one. */
    epoch: z.number().int().nonnegative().optional(),
  })
  .strict();
export type TicketRouting = z.infer<typeof ticketRoutingSchema>;

export const ticketEventSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    type: z.enum(TICKET_EVENT_TYPES),
    ticket: ticketSnapshotSchema,
    /** The customer message that caused this event, when there is one. */
    messageId: id.optional(),
    /** What a reply to that message needs: its provider id (email Message-ID) and subject. */
    message: z
      .object({
        channel: channelSchema,
        providerMessageId: id,
        /** Who wrote it (one of the person's addresses): an agent's reply goes back to this address, not the ticket's first one. */
        contact: contactSchema.optional(),
        contactKey: id.optional(),
        subject: z.string().max(1000).optional(),
        autoSubmitted: z.boolean(),
        /** What the classifier found in it (amount, time, merchant), so replies ask only for what is missing. */
        entities: entitiesSchema.optional(),
      })
      .strict()
      .optional(),
    routing: ticketRoutingSchema.optional(),
    reply: ticketReplySchema.optional(),
    survey: surveyAnswerSchema.optional(),
    causationId: id,
    occurredAt: timestamp,
  })
  .strict();
export type TicketEvent = z.infer<typeof ticketEventSchema>;

/** `acknowledgement` is the received message of earlier versions; the rest match libs/templates' kinds. */
export const NOTIFICATION_KINDS = ['acknowledgement', 'received', 'need_details', 'assigned', 'agent_reply', 'waiting_for_customer', 'resolved', 'reopened', 'escalated', 'queue_update', 'survey_thanks'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const outboundMessageSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    notificationId: id,
    kind: z.enum(NOTIFICATION_KINDS),
    ticketId: id,
    ticketNumber: z.number().int().positive(),
    channel: channelSchema,
    contact: contactSchema,
    contactKey: id,
    language: languageSchema,
    text: z.string().min(1).max(10_000),
    subject: z.string().max(1000).optional(),
    /** Rich version for channels that show it (email); `text` is always the fallback. */
    html: z.string().max(100_000).optional(),
    /** Sent by the platform, not typed by an agent: email marks it `Auto-Submitted: auto-replied`. */
    automatic: z.boolean().default(true),
    /** The customer's message this answers, so their client keeps the thread (email In-Reply-To). */
    inReplyTo: z.string().max(1000).optional(),
    createdAt: timestamp,
  })
  .strict();
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'undelivered'] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const deliveryReceiptSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    notificationId: id,
    channel: channelSchema,
    status: deliveryStatusSchema,
    providerMessageId: z.string().max(200).optional(),
    error: z.object({ code: z.string().max(100).optional(), message: z.string().max(2000) }).strict().optional(),
    occurredAt: timestamp,
  })
  .strict();
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>;

/**
 * A request to ask the provider what became of a sent message whose status callbacks never came
 * (Twilio posts each once and does not retry). The channel answers with the receipt that status
 * implies, under the same event id a callback's receipt has, or with nothing while it is not final.
 */
export const deliveryCheckSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    notificationId: id,
    channel: channelSchema,
    /** The provider's id of the message (Twilio's SID) when the notifier knows it; else the channel looks it up. */
    providerMessageId: z.string().max(200).optional(),
    /** 1 for the first check of this notification, 2 for the next... */
    check: z.number().int().min(1).max(20),
    requestedAt: timestamp,
  })
  .strict();
export type DeliveryCheck = z.infer<typeof deliveryCheckSchema>;

export const AGENT_PRESENCES = ['available', 'away', 'offline'] as const;
export const agentPresenceSchema = z.enum(AGENT_PRESENCES);
export type AgentPresence = z.infer<typeof agentPresenceSchema>;

const capacitySchema = z
  .object({ email: z.number().int().min(0).max(100), chat: z.number().int().min(0).max(100), sms: z.number().int().min(0).max(100), social: z.number().int().min(0).max(100) })
  .partial()
  .strict();

/** An agent as routing sees it: what worker expressions read, capacity per kind of conversation (the workflow fills the rest). */
export const agentProfileSchema = z
  .object({
    id,
    /** The name customers are told ("Putri is now handling your ticket"); routing ignores it. */
    displayName: z.string().min(1).max(100).optional(),
    skills: z.array(z.string().min(1).max(100)).max(100).default([]),
    languages: z.array(z.string().min(2).max(20)).max(20).default([]),
    teams: z.array(z.string().min(1).max(100)).max(20).default([]),
    level: z.number().int().min(0).max(100).default(0),
    capacity: capacitySchema.optional(),
    presence: agentPresenceSchema.optional(),
  })
  .strict();
export type AgentProfileInput = z.infer<typeof agentProfileSchema>;

/** Agent and operator actions; the router is their only consumer and the single writer of tickets. */
export const commandSchema = z
  .object({
    schemaVersion: z.literal(1),
    eventId: id,
    actor: z.object({ id, role: z.enum(['agent', 'supervisor', 'admin', 'operator']) }).strict(),
    issuedAt: timestamp,
    command: z.discriminatedUnion('type', [
      z.object({ type: z.literal('ticket.set_category'), ticketId: id, category: categorySchema }).strict(),
      z.object({ type: z.literal('ticket.resolve'), ticketId: id }).strict(),
      z.object({ type: z.literal('ticket.accept'), ticketId: id, agentId: id }).strict(),
      z.object({ type: z.literal('ticket.reject'), ticketId: id, agentId: id, reason: z.string().max(500).optional() }).strict(),
      /** The agent's first reply to the customer: stops the first-response SLA clock. */
      z.object({ type: z.literal('ticket.respond'), ticketId: id }).strict(),
      z
        .object({
          type: z.literal('ticket.transfer'),
          ticketId: id,
          to: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('agent'), agentId: id }).strict(),
            z.object({ kind: z.literal('queue'), queue: z.string().min(1).max(100), priority: z.number().int().optional() }).strict(),
            z.object({ kind: z.literal('workflow') }).strict(),
          ]),
        })
        .strict(),
      /** A reply for the customer; it also stops the first-response SLA clock. */
      z.object({ type: z.literal('ticket.reply'), ticketId: id, agentId: id, text: z.string().trim().min(1).max(10_000) }).strict(),
      z.object({ type: z.literal('ticket.add_note'), ticketId: id, text: z.string().trim().min(1).max(10_000) }).strict(),
      /** Waiting for the customer: the customer is told, and their next message makes the ticket active again. */
      z.object({ type: z.literal('ticket.set_pending'), ticketId: id }).strict(),
      /** The language a person wants answers in, for all their linked addresses. */
      z.object({ type: z.literal('contact.set_language'), contactKey: id, language: z.enum(['en', 'id', 'zh']) }).strict(),
      /** A new routing workflow (YAML, the format of libs/routing's default workflow); the router validates, stores and applies it. */
      z.object({ type: z.literal('workflow.set'), source: z.string().min(1).max(200_000) }).strict(),
      z.object({ type: z.literal('agent.upsert'), agent: agentProfileSchema }).strict(),
      z.object({ type: z.literal('agent.presence'), agentId: id, presence: agentPresenceSchema }).strict(),
    ]),
  })
  .strict();
export type Command = z.infer<typeof commandSchema>;
