import mongoose, { Connection } from 'mongoose';
import { testInfra, uniqueName } from '@switchboard/testing';
import { InappRecipientRepository } from './inapp-recipients.repository';

describe('InappRecipientRepository against a real database', () => {
  const infra = testInfra();
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('inapp_recipients').replace(/[-.]/g, '_') }).asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('records users once and tells another replica, by _id, who may have pending messages', async () => {
    const here = new InappRecipientRepository(connection);
    await here.ensureIndexes();
    await here.remember(['u-1', 'u-2', 'u-1'], new Date());
    await here.remember(['u-2', 'u-3'], new Date());
    const elsewhere = new InappRecipientRepository(connection);
    expect(await elsewhere.mayHavePending('u-1')).toBe(true);
    expect(await elsewhere.mayHavePending('u-3')).toBe(true);
    expect(await elsewhere.mayHavePending('never-written-to')).toBe(false);
    expect(await connection.collection('inapp_recipients').countDocuments()).toBe(3);
  });

  it('records, on a deployment that had none, every user with a message not yet delivered', async () => {
    const db = connection.useDb(uniqueName('inapp_recipients_upgrade').replace(/[-.]/g, '_'));
    await db.collection('inapp_outbox').insertMany([
      { _id: 'm-1', userId: 'waiting', delivered: false } as never,
      { _id: 'm-2', userId: 'done', delivered: true } as never,
    ]);
    const recipients = new InappRecipientRepository(db);
    await recipients.ensureIndexes();
    expect(await recipients.mayHavePending('waiting')).toBe(true);
    expect(await recipients.mayHavePending('done')).toBe(false);
    await db.dropDatabase();
  });
});
