import { Collection, Connection } from 'mongoose';
import { RoutedTicketDocument } from './assignment.repository';
import { NotificationDocument } from './notification.repository';
import { TicketMessageDocument } from './ticket.schema';

/** An agent's reply or internal note as the console saw it on `tickets` (console-owned projection). */
export interface ConsoleTimelineDocument {
  /** The ticket event id: a redelivered event is stored once. */
  _id: string;
  ticketId: string;
  kind: 'agent_reply' | 'note';
  agentId: string;
  text: string;
  at: Date;
}

/**
 * What the console reads of the router's and notifier's collections (never writes), and its own
 * timeline of agent replies and notes. Raw collections, so it can sit beside the writers' models.
 */
export class ConsoleTicketReads {
  readonly tickets: Collection<RoutedTicketDocument>;
  readonly messages: Collection<TicketMessageDocument>;
  readonly notifications: Collection<NotificationDocument>;
  readonly timeline: Collection<ConsoleTimelineDocument>;

  constructor(connection: Connection) {
    this.tickets = connection.collection<RoutedTicketDocument>('tickets');
    this.messages = connection.collection<TicketMessageDocument>('ticket_messages');
    this.notifications = connection.collection<NotificationDocument>('notifications');
    this.timeline = connection.collection<ConsoleTimelineDocument>('console_ticket_timeline');
  }

  async ensureIndexes(): Promise<void> {
    await this.timeline.createIndex({ ticketId: 1, at: 1 });
  }

  /** A page of tickets, newest activity first. */
  async page(filter: Record<string, unknown>, skip: number, limit: number): Promise<{ items: RoutedTicketDocument[]; total: number }> {
    const [items, total] = await Promise.all([
      this.tickets.find(filter).sort({ lastMessageAt: -1, _id: 1 }).skip(skip).limit(limit).toArray(),
      this.tickets.countDocuments(filter),
    ]);
    return { items, total };
  }

  find(ticketId: string): Promise<RoutedTicketDocument | null> {
    return this.tickets.findOne({ _id: ticketId });
  }

  messagesOf(ticketId: string): Promise<TicketMessageDocument[]> {
    return this.messages.find({ ticketId }).sort({ receivedAt: 1 }).limit(500).toArray();
  }

  notificationsOf(ticketId: string): Promise<NotificationDocument[]> {
    return this.notifications.find({ ticketId }).sort({ createdAt: 1 }).limit(500).toArray();
  }

  timelineOf(ticketId: string): Promise<ConsoleTimelineDocument[]> {
    return this.timeline.find({ ticketId }).sort({ at: 1 }).limit(500).toArray();
  }

  /** Stores a timeline entry once (keyed by its event id). */
  async record(entry: ConsoleTimelineDocument): Promise<void> {
    await this.timeline.updateOne({ _id: entry._id }, { $setOnInsert: entry }, { upsert: true });
  }

  /** Tickets not resolved: what queue statistics are computed from. */
  unresolved(limit = 5_000): Promise<RoutedTicketDocument[]> {
    return this.tickets.find({ status: { $ne: 'resolved' } }).sort({ openedAt: 1 }).limit(limit).toArray();
  }

  /** Tickets opened or updated since `since`: the recent traffic of statistics and the simulator. */
  recent(since: Date, limit = 5_000): Promise<RoutedTicketDocument[]> {
    return this.tickets
      .find({ $or: [{ openedAt: { $gte: since } }, { updatedAt: { $gte: since } }] })
      .sort({ openedAt: 1 })
      .limit(limit)
      .toArray();
  }

  /** Customer messages received since `since` (classification confidence and volume). */
  messagesSince(since: Date, limit = 10_000): Promise<TicketMessageDocument[]> {
    return this.messages.find({ receivedAt: { $gte: since } }).sort({ receivedAt: 1 }).limit(limit).toArray();
  }
}
