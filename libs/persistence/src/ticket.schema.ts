import { Schema } from 'mongoose';
import { Attachment, CATEGORIES, CHANNELS, Category, Channel, Classification, Contact, Language, TicketStatus, TICKET_STATUSES, UrgencyFlag } from '@switchboard/contracts';

export interface RoutingRecord {
  filter: string;
  step: number;
  explanation: string[];
  decidedAt: Date;
}

export interface TicketDocument {
  _id: string;
  number: number;
  status: TicketStatus;
  category: Category;
  confidence: number;
  triage: boolean;
  queue: string;
  priority: number;
  language: Language;
  urgency: UrgencyFlag[];
  channel: Channel;
  contact: Contact;
  contactKey: string;
  /** The person behind the contact; their messages on any linked address thread here. */
  personId?: string;
  assigneeId?: string;
  /** The language the person asked to be answered in (contact.set_language); beats the detected one. */
  preferredLanguage?: 'en' | 'id' | 'zh';
  /** The customer's answer to the survey sent when the ticket was resolved; the first answer counts. */
  survey?: { score: number; messageId: string; comment?: string; answeredAt: Date };
  routing: RoutingRecord;
  /** Set pending: waiting for the customer since then, its SLA clocks stopped (cleared when the customer writes again). */
  slaPausedAt?: Date;
  /** Earlier waits for the customer since its clocks started (cleared on reopening): the SLA due times move later by them. */
  slaPauses?: { from: Date; to: Date }[];
  openedAt: Date;
  lastMessageAt: Date;
  updatedAt: Date;
}

const contactSchema = new Schema<Contact>(
  { channel: { type: String, enum: CHANNELS, required: true }, address: { type: String, required: true }, provider: String, displayName: String },
  { _id: false },
);

export const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    number: { type: Number, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    category: { type: String, enum: CATEGORIES, required: true },
    confidence: { type: Number, required: true },
    triage: { type: Boolean, required: true },
    queue: { type: String, required: true },
    priority: { type: Number, required: true },
    language: { type: String, required: true },
    urgency: { type: [String], default: [] },
    channel: { type: String, enum: CHANNELS, required: true },
    contact: { type: contactSchema, required: true },
    contactKey: { type: String, required: true },
    personId: String,
    assigneeId: String,
    preferredLanguage: String,
    survey: { type: Schema.Types.Mixed, default: undefined },
    routing: {
      filter: { type: String, required: true },
      step: { type: Number, required: true },
      explanation: { type: [String], default: [] },
      decidedAt: { type: Date, required: true },
    },
    slaPausedAt: Date,
    slaPauses: { type: Schema.Types.Mixed, default: undefined },
    openedAt: { type: Date, required: true },
    lastMessageAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tickets', versionKey: false },
);
ticketSchema.index({ number: 1 }, { unique: true });
ticketSchema.index({ contactKey: 1, status: 1 });
ticketSchema.index({ personId: 1, status: 1 });
ticketSchema.index({ queue: 1, status: 1, priority: -1, openedAt: 1 });

export interface TicketMessageDocument {
  /** The inbound event id: unique, so a redelivered message can never be stored twice. */
  _id: string;
  ticketId: string;
  /** How the message joined its ticket, so a redelivery repeats the same ticket event. */
  threading?: 'ticket.opened' | 'ticket.message_added' | 'ticket.reopened' | 'ticket.survey_answered';
  direction: 'inbound';
  channel: Channel;
  provider: string;
  providerMessageId: string;
  contactKey: string;
  text: string;
  subject?: string;
  /** Written by a machine (auto-reply, list mail): kept, never answered. */
  autoSubmitted?: boolean;
  attachments?: Attachment[];
  receivedAt: Date;
  classification: Classification;
  storedAt: Date;
}

/**
 * What an agent wrote on a ticket, in the same conversation as the customer's messages:
 * `outbound` went to the customer (on `channel`, to `contactKey`), `internal` is a note for agents.
 */
export interface AgentMessageDocument {
  /** Derived from the command's event id: a redelivered command stores nothing new. */
  _id: string;
  ticketId: string;
  direction: 'outbound' | 'internal';
  agentId: string;
  text: string;
  channel?: Channel;
  contactKey?: string;
  /** When the agent sent it (the command's time), so the conversation reads in order. */
  receivedAt: Date;
  storedAt: Date;
}

function isInbound(this: { direction?: string }): boolean {
  return this.direction === 'inbound';
}

/** One collection, one conversation: the customer's messages and what agents wrote, in time order. */
export const ticketMessageSchema = new Schema<TicketMessageDocument & { agentId?: string }>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    threading: String,
    direction: { type: String, enum: ['inbound', 'outbound', 'internal'], required: true },
    // What only a customer's message has is required of those alone (agents' replies and notes share the collection).
    channel: { type: String, enum: CHANNELS, required: isInbound },
    provider: { type: String, required: isInbound },
    providerMessageId: { type: String, required: isInbound },
    contactKey: { type: String, required: isInbound },
    agentId: String,
    text: { type: String, default: '' },
    subject: String,
    autoSubmitted: Boolean,
    attachments: { type: [Schema.Types.Mixed], default: undefined },
    receivedAt: { type: Date, required: true },
    classification: { type: Schema.Types.Mixed, required: isInbound },
    storedAt: { type: Date, required: true },
  },
  { collection: 'ticket_messages', versionKey: false },
);
ticketMessageSchema.index({ ticketId: 1, receivedAt: 1 });

export interface CounterDocument {
  _id: string;
  seq: number;
}

export const counterSchema = new Schema<CounterDocument>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);
