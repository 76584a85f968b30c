import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { commandSchema, inboundMessageSchema } from '@switchboard/contracts';
import { eventually } from '@switchboard/testing';
import { usePlatform } from './use-platform';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);

interface StoredCorrection {
  _id: string;
  ticketId: string;
  text: string;
  language: string;
  channel: string;
  oldCategory: string;
  newCategory: string;
  by: { id: string; role: string };
  correctedAt: Date;
}

/**
 * An agent recategorises a ticket: the router keeps the customer's text with the old and the new
 * category in `classification_corrections` (once, however often the command is delivered), and
 * the classifier's export command turns it into a training line read straight from MongoDB.
 */
describe('corrections from agents become training lines', () => {
  const { platform, db: database } = usePlatform(['classifier', 'router'], () => ({ router: { ROUTER_POLL_MS: '100' } }));
  let db: Connection;
  let producer: Producer;

  beforeAll(async () => {
    db = database();
    producer = new Kafka({ clientId: 'e2e-corrections', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  async function customerWrites(n: number, text: string): Promise<void> {
    const inbound = inboundMessageSchema.parse({
      schemaVersion: 1,
      eventId: `e2e-corr-${platform.runId}-${n}`,
      channel: 'inapp',
      provider: 'inapp',
      providerMessageId: `corr-${n}`,
      contact: { channel: 'inapp', address: 'corr-user' },
      contactKey: 'inapp::corr-user',
      text,
      receivedAt: new Date(Date.UTC(2026, 10, 24, 8, n)).toISOString(),
    });
    await producer.send({ topic: platform.topic('inbound'), messages: [{ key: inbound.contactKey, value: JSON.stringify(inbound) }] });
  }

  it('stores a set_category command once, with text, languages and categories, and exports it from MongoDB', async () => {
    await customerWrites(1, 'min saldo saya kepotong 150rb tapi transfer ke BCA gagal');
    await customerWrites(2, 'eh ternyata bukan saya yang transfer, akun saya dipakai orang lain');
    const ticket = await eventually(
      async () => {
        const t = await db.collection('tickets').findOne({ contactKey: 'inapp::corr-user' });
        const messages = t ? await db.collection('ticket_messages').countDocuments({ ticketId: t['_id'] }) : 0;
        return t && messages === 2 ? t : undefined;
      },
      60_000,
      'ticket with both messages not stored',
    );
    const oldCategory = ticket['category'] as string;
    const newCategory = oldCategory === 'account_security' ? 'other' : 'account_security';

    const command = commandSchema.parse({
      schemaVersion: 1,
      eventId: `e2e-corr-cmd-${platform.runId}`,
      actor: { id: 'agent-ana', role: 'agent' },
      issuedAt: '2026-11-24T09:00:00.000Z',
      command: { type: 'ticket.set_category', ticketId: ticket['_id'], category: newCategory },
    });
    // Delivered twice, as after a producer retry.
    for (let i = 0; i < 2; i++) await producer.send({ topic: platform.topic('commands'), messages: [{ key: command.command.type === 'ticket.set_category' ? command.command.ticketId : 'x', value: JSON.stringify(command) }] });

    await eventually(async () => ((await db.collection('tickets').findOne({ _id: ticket['_id'] }))?.['category'] === newCategory) || undefined, 60_000, 'category not changed');
    const stored = await eventually(async () => (await db.collection<StoredCorrection>('classification_corrections').find({}).toArray()).at(0), 30_000, 'correction not stored');
    expect(stored).toEqual({
      _id: command.eventId,
      ticketId: ticket['_id'],
      text: 'min saldo saya kepotong 150rb tapi transfer ke BCA gagal\n\neh ternyata bukan saya yang transfer, akun saya dipakai orang lain',
      language: 'id',
      channel: 'inapp',
      oldCategory,
      newCategory,
      by: { id: 'agent-ana', role: 'agent' },
      correctedAt: new Date('2026-11-24T09:00:00.000Z'),
    });
    expect(await db.collection('classification_corrections').countDocuments({})).toBe(1);

    const { stdout, stderr } = await run(
      process.execPath,
      ['-r', './libs/classification/scripts/register.js', 'libs/classification/scripts/export-corrections.ts', '--mongo-url', platform.infra.mongoUrl, '--db', platform.dbName],
      { cwd: root },
    );
    expect(stderr).toContain('1 training lines from 1 corrections');
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { text: stored.text, label: newCategory, lang: 'id', channel: 'inapp', correctedAt: '2026-11-24T09:00:00.000Z' },
    ]);
  }, 180_000);
});
