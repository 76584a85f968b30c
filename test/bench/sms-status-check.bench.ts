// What finding stalled SMS deliveries costs the database, with a realistic notifications
// collection (20,000 and 50,000 SMS notifications, all but a few `delivered`, each with its three
// receipts), against the MongoDB-wire server of MONGO_URL (FerretDB as deploy/local builds it).
// For each shape it prints the wall time and FerretDB's CPU per run (its process found by the port
// of MONGO_URL; shared with whoever else uses it, so others' work shows in it too):
//   - the obvious sweep, `notifications.find({channel, status: {$in: [queued, sent]}, updatedAt})`,
//     which FerretDB v1 matches in Go over every document;
//   - what the notifier does instead: the watch's `{_id: {$in}}` read of a stretch's unfinished
//     notifications (only when a stretch has any), and the dispatcher's poll of the small
//     `notification_delivery_checks` collection (empty, and with the stalled ones in it);
//   - the watch's own CPU per receipt (parse, validate, judge a stretch), in this process;
//   - with KAFKA_BROKERS set, reading a topic of receipts again in a consumer group of its own, as
//     the watch does: this process's CPU and the broker's (found by the port it listens on) per receipt.
// Run: npm run bench:sms-check [-- sizes stalled runs receipts]   e.g. -- 20000,50000 20 5 60000
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { holdReceiptsMs, unfinishedDeliveries } from '@switchboard/channels';
import { DeliveryReceipt, deliveryReceiptSchema, deterministicId } from '@switchboard/contracts';
import { findByIds } from '@switchboard/persistence';

const TICKS = 100;
const MIN = 60_000;

function ferretPid(mongoUrl: string): number | undefined {
  const port = new URL(mongoUrl).port;
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/ferretdb/.test(command) && command.includes(`:${port}\0`)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** The process listening on this local port (ss), for the broker whose command line does not name it. */
function listenerPid(port: string): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function judgeStretch(values: readonly string[], now: Date): number {
  const stretch = values.flatMap((value) => {
    const parsed = deliveryReceiptSchema.safeParse(JSON.parse(value));
    return parsed.success ? [parsed.data] : [];
  });
  holdReceiptsMs(stretch, now, 10 * MIN);
  return unfinishedDeliveries(stretch, 'sms').size;
}

/** Receipts published once, then read again by a group of their own as the watch reads `deliveries`: CPU per receipt here and in the broker. */
async function rereadCost(brokers: string[], count: number, at: Date): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-sms-check', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-sms-check-${Date.now()}.deliveries`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const brokerPid = listenerPid(brokers[0].split(':').pop() ?? '');
  try {
    for (let from = 0; from < count; from += 3_000) {
      const messages = [];
      for (let i = from; i < Math.min(count, from + 3_000); i += 3) {
        const id = deterministicId('bench-notification', String(i));
        for (const status of ['queued', 'sent', 'delivered'] as const) {
          messages.push({ key: id, value: JSON.stringify({ schemaVersion: 1, eventId: deterministicId('delivery', id, status), notificationId: id, channel: 'sms', status, providerMessageId: `SM${i}`, occurredAt: at.toISOString() } satisfies DeliveryReceipt) });
        }
      }
      await producer.send({ topic, messages });
    }
    const consumer = kafka.consumer({ groupId: `${topic}.watch`, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let read = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const cpuFrom = process.cpuUsage();
    const brokerFrom = processCpuMs(brokerPid);
    const started = performance.now();
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        judgeStretch(batch.messages.map((m) => m.value?.toString() ?? 'null'), new Date());
        resolveOffset(batch.messages[batch.messages.length - 1].offset);
        await commitOffsetsIfNecessary();
        read += batch.messages.length;
        if (read >= count) done();
      },
    });
    await all;
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuFrom);
    const brokerMs = processCpuMs(brokerPid) - brokerFrom;
    await consumer.disconnect();
    const here = (cpu.user + cpu.system) / count;
    console.log(
      `\nwatch, reading ${count} receipts again from Kafka in a group of its own (${(wallMs / 1000).toFixed(1)} s): this process ${here.toFixed(1)} µs per receipt ` +
        `(consumer, parse, validate, judge), the broker ${brokerPid ? `${((brokerMs * 1000) / count).toFixed(1)} µs per receipt (shared, 10 ms ticks)` : 'not found on this machine'}; ` +
        `per SMS (3 receipts): ${(here * 3).toFixed(0)} µs here${brokerPid ? ` + ${((brokerMs * 3000) / count).toFixed(0)} µs in the broker` : ''}`,
    );
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `work` `runs` times; wall ms and FerretDB CPU ms per run (CPU over all runs, divided: /proc counts in 10 ms ticks). */
async function measure(pid: number | undefined, runs: number, work: () => Promise<unknown>): Promise<{ wallMs: number; dbCpuMs: number }> {
  const walls: number[] = [];
  const cpuFrom = processCpuMs(pid);
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    walls.push(performance.now() - started);
  }
  return { wallMs: median(walls), dbCpuMs: (processCpuMs(pid) - cpuFrom) / runs };
}

function notification(i: number, status: string, at: Date) {
  const id = deterministicId('bench-notification', String(i));
  const phone = `+62813${String(i).padStart(8, '0')}`;
  const receipts = status === 'delivered' ? ['queued', 'sent', 'delivered'] : [status];
  return {
    _id: id,
    ticketId: deterministicId('bench-ticket', String(i)),
    kind: 'received',
    channel: 'sms',
    contactKey: `sms:twilio:${phone}`,
    ticketNumber: 1000 + i,
    category: 'login',
    vars: { ticketNumber: 1000 + i, category: 'login' },
    outbound: { contact: { channel: 'sms', address: phone, provider: 'twilio' } },
    language: 'id',
    text: `Tiket #${1000 + i} sudah kami terima (masalah login). Coba atur ulang PIN lewat aplikasi; agen kami segera membantu.`,
    status,
    providerMessageId: `SM${id.replace(/-/g, '')}`,
    deliveries: receipts.map((s) => ({ status: s, at, providerMessageId: `SM${id.replace(/-/g, '')}`, receiptId: deterministicId('delivery', id, s) })),
    createdAt: at,
    updatedAt: at,
  };
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '20000,50000').split(',').map(Number);
  const stalled = Number(process.argv[3] ?? 20);
  const runs = Number(process.argv[4] ?? 5);
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) throw new Error('MONGO_URL is not set: eval "$(npm run -s infra -- env)" first');
  const pid = ferretPid(mongoUrl);
  console.log(`FerretDB process: ${pid ?? 'not found on this machine (CPU not measured)'}; ${stalled} stalled notifications per collection; median wall of ${runs} runs, FerretDB CPU averaged over them`);
  const connection = await mongoose.createConnection(mongoUrl, { dbName: `bench_sms_check_${Date.now()}` }).asPromise();
  try {
    const notifications = connection.collection('notifications');
    const checks = connection.collection('notification_delivery_checks');
    await checks.createIndex({ dueAt: 1 });
    const now = new Date();
    const old = new Date(now.getTime() - 30 * MIN);
    let inserted = 0;
    const stalledIds: string[] = [];
    const rows: string[][] = [];
    for (const size of sizes) {
      // Grow the collection to `size`, the stalled ones spread through it.
      const every = Math.floor(size / stalled);
      for (; inserted < size; ) {
        const chunk = [];
        for (let k = 0; k < 1000 && inserted < size; k++, inserted++) {
          const isStalled = inserted % every === every - 1 && stalledIds.length < stalled * sizes.length;
          const doc = notification(inserted, isStalled ? (inserted % 2 ? 'queued' : 'sent') : 'delivered', old);
          if (isStalled) stalledIds.push(doc._id);
          chunk.push(doc);
        }
        await notifications.insertMany(chunk as never[], { ordered: false });
      }
      const count = await notifications.countDocuments({});
      const cutoff = new Date(now.getTime() - 10 * MIN);
      let found = 0;
      const sweep = await measure(pid, runs, async () => {
        found = (await notifications.find({ channel: 'sms', status: { $in: ['queued', 'sent'] }, updatedAt: { $lte: cutoff } }, { projection: { _id: 1, status: 1, providerMessageId: 1 } }).toArray()).length;
      });
      rows.push([`${count}`, 'sweep: find({channel, status $in, updatedAt $lte})', `${found} found`, sweep.wallMs.toFixed(1), sweep.dbCpuMs.toFixed(1)]);

      const candidates = stalledIds.slice(-stalled);
      const watchRead = await measure(pid, runs * 4, () => findByIds(notifications as never, candidates, { status: 1, channel: 1, providerMessageId: 1, 'deliveries.at': 1 }));
      rows.push([`${count}`, `watch: {_id: {$in}} read of ${candidates.length} unfinished`, '', watchRead.wallMs.toFixed(1), watchRead.dbCpuMs.toFixed(2)]);

      await checks.deleteMany({});
      const emptyPoll = await measure(pid, runs * 20, () => checks.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(200).toArray());
      rows.push([`${count}`, 'dispatcher poll, nothing watched', '', emptyPoll.wallMs.toFixed(2), emptyPoll.dbCpuMs.toFixed(2)]);
      await checks.insertMany(candidates.map((id) => ({ _id: id, channel: 'sms', since: old, checksDone: 0, dueAt: new Date(now.getTime() + MIN), createdAt: now })) as never[]);
      const fullPoll = await measure(pid, runs * 20, () => checks.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(200).toArray());
      rows.push([`${count}`, `dispatcher poll, ${candidates.length} watched, none due`, '', fullPoll.wallMs.toFixed(2), fullPoll.dbCpuMs.toFixed(2)]);
    }
    console.log('\n| notifications | query | result | wall ms (median) | FerretDB CPU ms per run |\n| ---: | --- | --- | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);

    // The watch in this process: a stretch of receipts as it comes off `deliveries` (JSON), parsed, validated and judged.
    const receiptsPerSms = 3;
    const smsCount = 50_000;
    const raw: string[] = [];
    for (let i = 0; i < smsCount; i++) {
      const id = deterministicId('bench-notification', String(i));
      for (const status of ['queued', 'sent', 'delivered'] as const) {
        raw.push(JSON.stringify({ schemaVersion: 1, eventId: deterministicId('delivery', id, status), notificationId: id, channel: 'sms', status, providerMessageId: `SM${i}`, occurredAt: old.toISOString() } satisfies DeliveryReceipt));
      }
    }
    const started = process.cpuUsage();
    let open = 0;
    for (let from = 0; from < raw.length; from += 3_000) open += judgeStretch(raw.slice(from, from + 3_000), now);
    const used = process.cpuUsage(started);
    const perReceiptUs = (used.user + used.system) / raw.length;
    console.log(`\nwatch, in process: ${raw.length} receipts (${smsCount} SMS x ${receiptsPerSms}) in stretches of 3,000: ${perReceiptUs.toFixed(1)} µs of CPU per receipt, ${(perReceiptUs * receiptsPerSms).toFixed(1)} µs per SMS; ${open} left unfinished (stretch edges)`);
  } finally {
    await connection.dropDatabase();
    await connection.close();
  }
  const brokers = process.env.KAFKA_BROKERS;
  if (brokers) await rereadCost(brokers.split(','), Number(process.argv[5] ?? 60_000), new Date(Date.now() - 30 * MIN));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
