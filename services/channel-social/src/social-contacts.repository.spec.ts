import mongoose, { Connection } from 'mongoose';
import { MongoCommandRecorder, testInfra, uniqueName } from '@switchboard/testing';
import { SocialContactRepository } from './social-contacts.repository';

describe('SocialContactRepository against a real database', () => {
  const infra = testInfra();
  let mongo: Connection;
  let contacts: SocialContactRepository;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('social_contacts').replace(/[-.]/g, '_').slice(0, 60), monitorCommands: true }).asPromise();
    contacts = new SocialContactRepository(mongo);
    await contacts.ensureIndexes();
  });

  afterAll(async () => {
    await mongo?.dropDatabase();
    await mongo?.close();
  });

  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 2, minutes));
  const stored = async (key: string) => (await contacts.lastInboundAt(key))?.toISOString();

  it('records the webhooks of the moment together: new contacts inserted, known ones moved forward, never back', async () => {
    await contacts.recordInbound('social:whatsapp:1', 'whatsapp', '1', at(10));
    await contacts.recordInbound('social:whatsapp:2', 'whatsapp', '2', at(10));

    const recorder = new MongoCommandRecorder(mongo);
    const commands = await recorder.during(() =>
      Promise.all([
        contacts.recordInbound('social:whatsapp:1', 'whatsapp', '1', at(11)),
        contacts.recordInbound('social:whatsapp:2', 'whatsapp', '2', at(5)), // a late redelivery
        contacts.recordInbound('social:whatsapp:3', 'whatsapp', '3', at(11)),
        contacts.recordInbound('social:whatsapp:4', 'whatsapp', '4', at(12)),
        contacts.recordInbound('social:whatsapp:3', 'whatsapp', '3', at(12)),
      ]),
    );

    expect(await stored('social:whatsapp:1')).toBe(at(11).toISOString());
    expect(await stored('social:whatsapp:2')).toBe(at(10).toISOString());
    expect(await stored('social:whatsapp:3')).toBe(at(12).toISOString());
    expect(await stored('social:whatsapp:4')).toBe(at(12).toISOString());
    // Five webhooks: one read, one insert, one update, where each used to be an upsert of its own.
    expect(commands.map((c) => c.name)).toEqual(['find', 'insert', 'update']);
  });

  it('moves a contact far behind the others on its own, so a shared time never holds it back', async () => {
    await contacts.recordInboundMany([
      { _id: 'social:whatsapp:5', provider: 'whatsapp', address: '5', lastInboundAt: at(0) },
      { _id: 'social:whatsapp:6', provider: 'whatsapp', address: '6', lastInboundAt: at(0) },
    ]);
    await contacts.recordInboundMany([
      { _id: 'social:whatsapp:5', provider: 'whatsapp', address: '5', lastInboundAt: at(3) },
      { _id: 'social:whatsapp:6', provider: 'whatsapp', address: '6', lastInboundAt: at(50) },
    ]);
    expect(await stored('social:whatsapp:5')).toBe(at(3).toISOString());
    expect(await stored('social:whatsapp:6')).toBe(at(50).toISOString());
  });
});
