import mongoose, { Connection } from 'mongoose';
import { MongoCommandRecorder, testInfra, uniqueName } from '@switchboard/testing';
import { SocialSendRepository } from './social-sends.repository';

describe('SocialSendRepository against a real database', () => {
  const infra = testInfra();
  let mongo: Connection;
  let sends: SocialSendRepository;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('social_sends').replace(/[-.]/g, '_').slice(0, 60), monitorCommands: true }).asPromise();
    sends = new SocialSendRepository(mongo);
    await sends.ensureIndexes();
  });

  afterAll(async () => {
    await mongo?.dropDatabase();
    await mongo?.close();
  });

  it('claims and records the sends in flight together, and still claims each notification once', async () => {
    const at = new Date();
    const recorder = new MongoCommandRecorder(mongo);
    const ids = ['n-1', 'n-2', 'n-3'];
    const claimCommands = await recorder.during(() => Promise.all([...ids, 'n-1'].map((id) => sends.claim(id, 'whatsapp', `62${id}`, at))));
    const claims = await Promise.all(ids.map((id) => sends.claim(id, 'whatsapp', `62${id}`, at)));
    expect(claims.every((c) => !c.claimed)).toBe(true);
    expect(claimCommands.filter((c) => c.name === 'insert')).toHaveLength(1);

    const sentCommands = await recorder.during(() => Promise.all(ids.map((id) => sends.markSent(id, 'telegram', `900:${id}`, at, { mode: 'text' }))));
    expect(sentCommands.map((c) => c.name)).toEqual(['insert', 'update']);
    for (const id of ids) {
      expect(await sends.notificationOf('telegram', `900:${id}`)).toBe(id);
      expect(await sends.sends.findById(id).lean()).toMatchObject({ state: 'sent', providerMessageId: `900:${id}`, mode: 'text' });
    }
  });
});
