import { Connection } from 'mongoose';
import { eventually } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform } from './use-platform';

describe('kill -9 of the router while messages flow', () => {
  const { platform, db: database } = usePlatform();
  let db: Connection;

  beforeAll(async () => {
    db = database();
  });

  it('still turns every message into exactly one ticket', async () => {
    const count = 40;
    const customers = Array.from({ length: count }, (_, i) => new Customer(platform, `crash-${i}`));
    const sending = (async () => {
      for (const customer of customers) {
        expect((await customer.send(`transfer gagal, saldo kepotong (${customer.userId})`)).status).toBe(202);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();

    await eventually(async () => (await db.collection('tickets').countDocuments()) >= 5 || undefined);
    await platform.service('router').kill();
    const storedAtCrash = await db.collection('tickets').countDocuments();
    await sending;
    await platform.restart('router');

    await eventually(async () => (await db.collection('ticket_messages').countDocuments()) === count || undefined, 90_000);
    await eventually(async () => (await db.collection('notifications').countDocuments()) === count || undefined, 60_000);
    // Give redeliveries time to show any duplicate before counting.
    await new Promise((r) => setTimeout(r, 2_000));

    const tickets = await db.collection('tickets').find().toArray();
    expect(storedAtCrash).toBeLessThan(count);
    expect(tickets).toHaveLength(count);
    expect(new Set(tickets.map((t) => t.contactKey)).size).toBe(count);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(count);
    const messages = await db.collection('ticket_messages').find().toArray();
    expect(messages).toHaveLength(count);
    const ticketIds = new Set(tickets.map((t) => t._id));
    expect(messages.every((m) => ticketIds.has(m.ticketId))).toBe(true);
    expect(await db.collection('notifications').countDocuments()).toBe(count);
  });
});
