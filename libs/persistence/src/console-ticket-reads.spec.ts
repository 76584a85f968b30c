import mongoose, { Connection } from 'mongoose';
import { testInfra, uniqueName } from '@switchboard/testing';
import { ConsoleTicketReads } from './console-ticket-reads';

describe('ConsoleTicketReads.handlingFacts against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('console_reads').replace(/-/g, '_') }).asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('reads the assignments and resolutions of the tickets asked for, and their agents’ replies (not notes), across chunks', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));
    const decision = (ticketId: string, seq: number, type: string, minute: number) => ({
      _id: `${ticketId}#${seq}`, ticketId, seq, epoch: 1, resolved: type === 'resolved', assignment: null, decision: { type, at: at(minute), explanation: ['why'], epoch: 1 },
    });
    // 600 tickets: more than one chunk of ids.
    const ids = Array.from({ length: 600 }, (_, n) => `t-${n}`);
    await connection.collection('routing_log').insertMany(ids.flatMap((id) => [decision(id, 1, 'routed', 0), decision(id, 2, 'assigned', 1), decision(id, 3, 'resolved', 9)]) as never[]);
    await connection.collection('routing_log').insertOne(decision('elsewhere', 1, 'assigned', 1) as never);
    await connection.collection('ticket_messages').insertMany([
      { _id: 'reply-1', ticketId: 't-599', direction: 'outbound', agentId: 'a', text: 'hi', receivedAt: at(3), storedAt: at(3) },
      { _id: 'note-1', ticketId: 't-599', direction: 'internal', agentId: 'a', text: 'note', receivedAt: at(2), storedAt: at(2) },
      { _id: 'customer-1', ticketId: 't-599', direction: 'inbound', text: 'help', receivedAt: at(0), storedAt: at(0) },
    ] as never[]);

    const { log, replies } = await new ConsoleTicketReads(connection).handlingFacts(ids);
    expect(log).toHaveLength(1_200);
    expect(log.filter((e) => e.ticketId === 't-599').sort((a, b) => a.at.getTime() - b.at.getTime())).toEqual([
      { ticketId: 't-599', type: 'assigned', at: at(1) },
      { ticketId: 't-599', type: 'resolved', at: at(9) },
    ]);
    expect(replies).toEqual([{ ticketId: 't-599', at: at(3) }]);
  });
});
