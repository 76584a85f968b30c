// Checks from the outside what the platform did with every message a customer got accepted:
// what is stored in MongoDB, what reached the provider fakes, what sits on the dead-letter topic.
import { Connection } from 'mongoose';
import { DeadLetterEntry } from '@switchboard/messaging';
import { FakeMetaGraph, FakeTwilio, SmtpSink } from '@switchboard/testing';
import { CustomerMessage } from './customers';

export interface SentMessage {
  message: CustomerMessage;
  /** Answered 2xx / SMTP 250 at least once. */
  accepted: boolean;
  attempts: number;
  /** Delivered again after it was accepted, as a provider that retries would. */
  duplicatedOnPurpose: boolean;
}

export interface FaultWindow {
  name: string;
  start: number;
  end: number;
}

const URGENT = ['takeover_in_progress', 'stolen_device'];
/** Final per channel: a provider that reports delivery (SMS, in-app acks) or only acceptance (mail relay, Graph). */
const FINAL: Record<string, string[]> = { sms: ['delivered'], inapp: ['delivered'], email: ['sent', 'delivered'], social: ['sent', 'delivered', 'read'] };

export interface Reconciliation {
  sent: number;
  accepted: number;
  refused: number;
  duplicateDeliveries: number;
  storedMessages: number;
  tickets: number;
  notifications: number;
  /** Accepted messages with no stored message, or whose ticket is missing. */
  lostMessages: string[];
  /** Notifications a ticket's events call for that do not exist. */
  missingNotifications: string[];
  /** Not final and not failed with a reason. */
  unfinishedNotifications: string[];
  /** Final as failed/undelivered, each with its reason. */
  failedNotifications: { id: string; channel: string; status: string; errorCode?: string }[];
  /** SMS sent but whose delivery report never came back (the callback hit a restarting service). */
  sentWithoutReport: string[];
  duplicateMessages: string[];
  duplicateTickets: string[];
  duplicateNotifications: string[];
  /** The same notification reaching the customer more than once through a provider. */
  duplicateSends: string[];
  deadLetters: { entry: DeadLetterEntry; explainedBy?: string }[];
}

export function lost(r: Reconciliation): number {
  return r.lostMessages.length + r.missingNotifications.length + r.unfinishedNotifications.length;
}

export function duplicated(r: Reconciliation): number {
  return r.duplicateMessages.length + r.duplicateTickets.length + r.duplicateNotifications.length + r.duplicateSends.length;
}

export interface Providers {
  twilio: FakeTwilio;
  graph: FakeMetaGraph;
  mail: SmtpSink;
}

interface StoredMessage {
  _id: string;
  ticketId: string;
  providerMessageId: string;
  contactKey: string;
}
interface StoredTicket {
  _id: string;
  contactKey: string;
  category: string;
  urgency?: string[];
}
interface StoredNotification {
  _id: string;
  ticketId: string;
  kind: string;
  channel: string;
  contactKey: string;
  status: string;
  errorCode?: string;
  fallbackOf?: string;
  retryOf?: string;
}

export async function reconcile(db: Connection, sent: SentMessage[], providers: Providers, deadLetters: DeadLetterEntry[], faults: FaultWindow[]): Promise<Reconciliation> {
  const messages = (await db.collection('ticket_messages').find({}, { projection: { ticketId: 1, providerMessageId: 1, contactKey: 1 } }).toArray()) as unknown as StoredMessage[];
  const tickets = (await db.collection('tickets').find({}, { projection: { contactKey: 1, category: 1, urgency: 1 } }).toArray()) as unknown as StoredTicket[];
  const notifications = (await db.collection('notifications').find({}, { projection: { text: 0, deliveries: 0 } }).toArray()) as unknown as StoredNotification[];

  const byProviderId = groupBy(messages, (m) => normaliseId(m.providerMessageId));
  const ticketIds = new Set(tickets.map((t) => t._id));
  const accepted = sent.filter((s) => s.accepted);
  const r: Reconciliation = {
    sent: sent.length,
    accepted: accepted.length,
    refused: sent.length - accepted.length,
    duplicateDeliveries: sent.filter((s) => s.duplicatedOnPurpose).length,
    storedMessages: messages.length,
    tickets: tickets.length,
    notifications: notifications.length,
    lostMessages: [],
    missingNotifications: [],
    unfinishedNotifications: [],
    failedNotifications: [],
    sentWithoutReport: [],
    duplicateMessages: [],
    duplicateTickets: [],
    duplicateNotifications: [],
    duplicateSends: [],
    deadLetters: deadLetters.map((entry) => ({ entry, explainedBy: explain(entry, faults) })),
  };

  // Every accepted message is stored once, in a ticket that exists.
  const contactKeys = new Map<string, string>();
  for (const s of accepted) {
    const id = s.message.providerMessageId;
    const stored = byProviderId.get(normaliseId(id)) ?? [];
    if (stored.length === 0 || !ticketIds.has(stored[0].ticketId)) r.lostMessages.push(`${s.message.channel} ${id}`);
    if (stored.length > 1) r.duplicateMessages.push(`${s.message.channel} ${id} stored ${stored.length} times`);
    if (stored[0]) contactKeys.set(`${s.message.channel}:${s.message.contact}`, stored[0].contactKey);
  }

  // One customer, one ticket: their follow-ups thread onto it.
  const ticketsByContact = groupBy(tickets, (t) => t.contactKey);
  for (const key of new Set(contactKeys.values())) {
    const own = ticketsByContact.get(key) ?? [];
    if (own.length > 1) r.duplicateTickets.push(`${key} has ${own.length} tickets`);
  }

  // The notifications each ticket's events call for, once each, and each finished.
  // A fallback or a retry of a failed send is the same message again, by design, not a second one.
  const byTicket = groupBy(
    notifications.filter((n) => !n.fallbackOf && !n.retryOf),
    (n) => n.ticketId,
  );
  for (const ticket of tickets) {
    const expected = ['received'];
    if (ticket.category === 'account_security' && (ticket.urgency ?? []).some((u) => URGENT.includes(u))) expected.push('escalated');
    const own = byTicket.get(ticket._id) ?? [];
    for (const kind of expected) {
      const ofKind = own.filter((n) => n.kind === kind);
      if (ofKind.length === 0) r.missingNotifications.push(`${ticket._id} ${kind}`);
      if (ofKind.length > 1) r.duplicateNotifications.push(`${ticket._id} ${kind} x${ofKind.length}`);
    }
  }
  for (const n of notifications) {
    if (['failed', 'undelivered'].includes(n.status)) {
      if (n.errorCode) r.failedNotifications.push({ id: n._id, channel: n.channel, status: n.status, errorCode: n.errorCode });
      else r.unfinishedNotifications.push(`${n._id} (${n.channel}) ${n.status} without a reason`);
    } else if (n.channel === 'sms' && n.status === 'sent') r.sentWithoutReport.push(n._id);
    else if (!(FINAL[n.channel] ?? ['delivered']).includes(n.status)) r.unfinishedNotifications.push(`${n._id} (${n.channel}) ${n.status}`);
  }

  // What reached the customer through the providers: once per notification.
  const smsByNotification = groupBy(providers.twilio.messages, (m) => new URL(m.statusCallback ?? 'http://x/').searchParams.get('notificationId') ?? m.sid);
  for (const [id, sends] of smsByNotification) if (sends.length > 1) r.duplicateSends.push(`sms ${id} x${sends.length}`);
  const mailByNotification = groupBy(providers.mail.mails, (m) => /^<sb-\d+\.([^@]+)@/.exec(m.headers['message-id'] ?? '')?.[1] ?? m.headers['message-id'] ?? '');
  for (const [id, mails] of mailByNotification) if (mails.length > 1) r.duplicateSends.push(`email ${id} x${mails.length}`);
  const socialNotifications = groupBy(
    notifications.filter((n) => n.channel === 'social'),
    (n) => n.contactKey,
  );
  const graphByRecipient = groupBy(
    providers.graph.requests.filter((g) => g.status === 200),
    (g) => String(g.body.to ?? ''),
  );
  for (const [recipient, calls] of graphByRecipient) {
    const owed = [...socialNotifications].filter(([key]) => key.endsWith(`:${recipient}`)).reduce((sum, [, list]) => sum + list.length, 0);
    if (calls.length > owed) r.duplicateSends.push(`whatsapp ${recipient}: ${calls.length} messages for ${owed} notifications`);
  }
  return r;
}

/** The fault a dead letter is due to: it failed during the fault or while the platform recovered from it. */
function explain(entry: DeadLetterEntry, faults: FaultWindow[]): string | undefined {
  if (entry.reason !== 'handler') return undefined;
  const at = Date.parse(entry.failedAt);
  return faults.find((f) => at >= f.start && at <= f.end + 60_000)?.name;
}

function normaliseId(id: string): string {
  return id.replace(/^<|>$/g, '');
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
