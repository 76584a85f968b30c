import { Connection } from 'mongoose';
import { openMongo } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { EmailOutboxDocument, EmailOutboxRepository } from './email-outbox.repository';

const record = (id: string) => ({ _id: id, ticketNumber: 12, to: 'dewi@mail.test', messageId: `<${id}@sb.test>` });

describe('EmailOutboxRepository.claim against a real MongoDB-wire server', () => {
  const infra = testInfra();
  const dbName = uniqueName('email_outbox').replace(/-/g, '_');
  let connection: Connection;
  let outbox: EmailOutboxRepository;
  // Channel-email replicas, each with its own connection: a race FerretDB loses only now and
  // then, so it is run in many rounds.
  const replicas: { connection: Connection; outbox: EmailOutboxRepository }[] = [];

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName });
    outbox = new EmailOutboxRepository(connection);
    await outbox.ensureIndexes();
    for (let i = 0; i < 8; i++) {
      const own = await openMongo({ url: infra.mongoUrl, dbName });
      replicas.push({ connection: own, outbox: new EmailOutboxRepository(own) });
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.connection.close()));
    await connection.dropDatabase();
    await connection.close();
  });

  it('gives a new notification to exactly one of eight concurrent claims', async () => {
    const claims = await Promise.all(replicas.map((r) => r.outbox.claim(record('n-new'), new Date())));
    expect(claims.filter((c) => c === true)).toHaveLength(1);
    expect(claims.filter((c): c is EmailOutboxDocument => c !== true).map((c) => c.status)).toEqual(Array.from({ length: 7 }, () => 'sending'));
  });

  it('gives a retry to exactly one of eight concurrent claims, and counts the attempt once', async () => {
    const winners: number[] = [];
    for (let round = 0; round < 30; round++) {
      const id = `n-race-${round}`;
      expect(await outbox.claim(record(id), new Date())).toBe(true);
      await outbox.finish(id, 'retry', new Date(), { code: '452', message: 'mailbox full' });
      const claims = await Promise.all(replicas.map((r) => r.outbox.claim(record(id), new Date())));
      winners.push(claims.filter((c) => c === true).length);
    }
    expect(winners).toEqual(Array.from({ length: 30 }, () => 1));

    expect(await outbox.claim(record('n-retry'), new Date())).toBe(true);
    await outbox.finish('n-retry', 'retry', new Date(), { code: '452', message: 'mailbox full' });
    expect(await outbox.claim(record('n-retry'), new Date())).toBe(true);
    expect(await outbox.model.findById('n-retry').lean()).toMatchObject({ status: 'sending', attempts: 2 });

    await outbox.finish('n-retry', 'retry', new Date(), { code: '452', message: 'mailbox full' });
    expect(await outbox.claim(record('n-retry'), new Date())).toBe(true);
    expect(await outbox.model.findById('n-retry').lean()).toMatchObject({ status: 'sending', attempts: 3 });
  });

  it('hands back a sent or failed record instead of the right to send', async () => {
    expect(await outbox.claim(record('n-sent'), new Date())).toBe(true);
    await outbox.finish('n-sent', 'sent', new Date());
    expect(await outbox.claim(record('n-sent'), new Date())).toMatchObject({ _id: 'n-sent', status: 'sent', attempts: 1 });
  });
});
