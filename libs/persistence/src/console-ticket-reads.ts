import { Collection, Connection } from 'mongoose';
import { RoutedTicketDocument, RoutingLogDocument } from './assignment.repository';
import { NotificationDocument } from './notification.repository';
import { AgentMessageDocument, TicketMessageDocument } from './ticket.schema';

/**
 * What the console reads of the router's and notifier's collections (never writes). Raw
 * collections, so it can sit beside the writers' models.
 */
export class ConsoleTicketReads {
  readonly tickets: Collection<RoutedTicketDocument>;
  readonly messages: Collection<TicketMessageDocument | AgentMessageDocument>;
  private readonly customerMessages: Collection<TicketMessageDocument>;
  readonly notifications: Collection<NotificationDocument>;
  private readonly routingLog: Collection<RoutingLogDocument>;

  constructor(connection: Connection) {
    this.tickets = connection.collection<RoutedTicketDocument>('tickets');
    this.messages = connection.collection<TicketMessageDocument | AgentMessageDocument>('ticket_messages');
    this.customerMessages = connection.collection<TicketMessageDocument>('ticket_messages');
    this.notifications = connection.collection<NotificationDocument>('notifications');
    this.routingLog = connection.collection<RoutingLogDocument>('routing_log');
  }

  /** The writers own the indexes of what is read here. */
  ensureIndexes(): Promise<void> {
    return Promise.resolve();
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

  /** The customer's messages and agents' replies and notes, in time order. */
  messagesOf(ticketId: string): Promise<Array<TicketMessageDocument | AgentMessageDocument>> {
    return this.messages.find({ ticketId }).sort({ receivedAt: 1 }).limit(500).toArray();
  }

  notificationsOf(ticketId: string): Promise<NotificationDocument[]> {
    return this.notifications.find({ ticketId }).sort({ createdAt: 1 }).limit(500).toArray();
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

  /**
   * When these tickets were assigned and resolved (their routing log) and when agents replied:
   * how long agents took, for the simulator. Read `ticketId $in` a few hundred at a time, with
   * only the fields timing needs.
   */
  async handlingFacts(ticketIds: readonly string[]): Promise<{ log: { ticketId: string; type: string; at: Date }[]; replies: { ticketId: string; at: Date }[] }> {
    const log: { ticketId: string; type: string; at: Date }[] = [];
    const replies: { ticketId: string; at: Date }[] = [];
    for (let i = 0; i < ticketIds.length; i += 500) {
      const chunk = ticketIds.slice(i, i + 500);
      const [entries, written] = await Promise.all([
        this.routingLog.find({ ticketId: { $in: chunk }, 'decision.type': { $in: ['assigned', 'resolved'] } }, { projection: { ticketId: 1, 'decision.type': 1, 'decision.at': 1 } }).toArray(),
        this.messages.find({ ticketId: { $in: chunk }, direction: 'outbound' }, { projection: { ticketId: 1, receivedAt: 1 } }).toArray(),
      ]);
      for (const e of entries) log.push({ ticketId: e.ticketId, type: e.decision.type, at: new Date(e.decision.at) });
      for (const m of written) replies.push({ ticketId: m.ticketId, at: new Date(m.receivedAt) });
    }
    return { log, replies };
  }

  /** Customer messages received since `since` (classification confidence and volume). */
  messagesSince(since: Date, limit = 10_000): Promise<TicketMessageDocument[]> {
    // Agents' replies and notes share the collection and have no classification.
    return this.customerMessages.find({ direction: 'inbound', receivedAt: { $gte: since } }).sort({ receivedAt: 1 }).limit(limit).toArray();
  }
}
