// The physical floor on this machine: a kafkajs producer -> consumer -> one MongoDB insert ->
// producer -> consumer, over the same broker and database, with the client settings the platform
// uses (idempotent producer, acks=all, one message per send, eachMessage). The pipeline's figures
// are printed as a ratio to this, so they mean the same on any machine.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mongoose from 'mongoose';
import { waitForTopicLeaders } from '@switchboard/messaging';
import { percentiles, Percentiles } from './metrics';

export interface BareResult {
  offeredRate: number;
  sent: number;
  completed: number;
  throughput: number;
  latencyMs: Percentiles;
}

export async function runBarePath(brokers: string[], mongoUrl: string, rate: number, seconds: number, drainMs = 15_000): Promise<BareResult> {
  const tag = `bare-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const kafka = new Kafka({ clientId: tag, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: false, topics: [`${tag}.a`, `${tag}.b`].map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) });
  await waitForTopicLeaders(admin, [`${tag}.a`, `${tag}.b`]);
  await admin.disconnect();
  const db = await mongoose.createConnection(mongoUrl, { dbName: tag.replace(/-/g, '_') }).asPromise();
  const collection = db.collection('bare');
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const middle = kafka.consumer({ groupId: `${tag}.middle`, maxWaitTimeInMs: 100 });
  const end = kafka.consumer({ groupId: `${tag}.end`, maxWaitTimeInMs: 100 });
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let lastAt = 0;
  await Promise.all([producer.connect(), middle.connect(), end.connect()]);
  try {
    await middle.subscribe({ topic: `${tag}.a`, fromBeginning: true });
    await end.subscribe({ topic: `${tag}.b`, fromBeginning: true });
    await middle.run({
      eachMessage: async ({ message }) => {
        const id = message.key?.toString() ?? '';
        await collection.insertOne({ _id: id as never, at: new Date() });
        await producer.send({ topic: `${tag}.b`, acks: -1, messages: [{ key: id, value: message.value }] });
      },
    });
    await end.run({
      eachMessage: async ({ message }) => {
        const id = message.key?.toString() ?? '';
        const t = started.get(id);
        if (t === undefined) return;
        lastAt = performance.now();
        latencies.push(lastAt - t);
      },
    });
    // Both groups must own their partitions before the clock starts.
    await new Promise((r) => setTimeout(r, 3_000));
    const total = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const t0 = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let n = 0; n < total; n++) {
      const id = `${tag}-${n}`;
      started.set(id, performance.now());
      sends.push(producer.send({ topic: `${tag}.a`, acks: -1, messages: [{ key: id, value: JSON.stringify({ n, text: 'saldo kepotong tapi transfer gagal' }) }] }));
      const due = t0 + (n + 1) * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(sends);
    const deadline = Date.now() + drainMs;
    while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const elapsed = (lastAt - t0) / 1000;
    return { offeredRate: rate, sent: total, completed: latencies.length, throughput: elapsed > 0 ? latencies.length / elapsed : 0, latencyMs: percentiles(latencies) };
  } finally {
    await Promise.allSettled([middle.disconnect(), end.disconnect()]);
    await producer.disconnect().catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await db.close();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [`${tag}.a`, `${tag}.b`] }).catch(() => undefined);
    await cleanup.disconnect();
  }
}
