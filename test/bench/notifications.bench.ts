// Notification throughput and latency: ticket events published on `tickets` at a target rate into
// the real notifier, which composes and stores each *received* message and hands it to the real
// channel-sms, which sends it through the twilio SDK to a local fake of Twilio's REST API.
// End to end: from the ticket event's publish to the fake Twilio receiving the message.
// Run: eval "$(npm run -s infra -- env)" && npm run build && npm run bench:notifications [-- rate seconds]
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { TicketEvent } from '@switchboard/contracts';
import { FakeTwilio, PlatformUnderTest, TopicReader } from '@switchboard/testing';

const OUR_NUMBER = '+15005550006';
const FIRST_NUMBER = 100_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function ticketOpened(number: number): TicketEvent {
  const phone = `+6281${String(number).padStart(9, '0')}`;
  const id = randomUUID();
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    eventId: randomUUID(),
    type: 'ticket.opened',
    ticket: {
      id,
      number,
      status: 'open',
      category: 'refund',
      confidence: 0.93,
      triage: false,
      queue: 'refunds',
      priority: 40,
      language: number % 3 === 0 ? 'zh' : number % 3 === 1 ? 'id' : 'en',
      urgency: [],
      channel: 'sms',
      contact: { channel: 'sms', address: phone, provider: 'twilio' },
      contactKey: `sms:twilio:${phone}`,
      openedAt: now,
    },
    messageId: id,
    message: {
      channel: 'sms',
      providerMessageId: `SM${id.replace(/-/g, '')}`,
      autoSubmitted: false,
      entities: { amounts: [{ value: 75000, currency: 'IDR', text: 'Rp75.000' }], transactionIds: [], merchants: ['Alfamart'], maskedDigits: [], incidentTimeText: 'kemarin' },
    },
    causationId: id,
    occurredAt: now,
  };
}

let handledCount = 0;

/** CPU seconds so far: this process (the fake Twilio, the producer, the topic reader), each service's process, the whole machine. */
interface CpuSnapshot {
  at: number;
  bench: number;
  services: Map<string, number>;
  machine: number;
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const TICKS = 100;

function processCpu(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

function machineCpu(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    return (user + nice + system + irq + softirq + steal) / TICKS;
  } catch {
    return 0;
  }
}

/** The broker's and the database's processes on this machine (shared with whoever else uses them), by their command line. */
function infraPids(): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/ferretdb/.test(command) && !found.has('FerretDB')) found.set('FerretDB', Number(entry));
      else if (/^java\0/.test(command) && /kafka/i.test(command) && !found.has('Kafka')) found.set('Kafka', Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function cpuSnapshot(platform: PlatformUnderTest, infra: Map<string, number>): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    bench: (usage.user + usage.system) / 1e6,
    services: new Map([...[...platform.services].map(([name, service]): [string, number] => [name, processCpu(service.pid)]), ...[...infra].map(([name, pid]): [string, number] => [`${name} (shared)`, processCpu(pid)])]),
    machine: machineCpu(),
  };
}

/**
 * Where the CPU went between two snapshots, per notification received. The benchmark's own
 * process plays Twilio's servers (API and status callbacks), Kafka's producer and a topic reader:
 * its share is not the platform's. The machine's figure includes Kafka, FerretDB and whatever
 * else runs on it (other engineers' work on a shared machine).
 */
function printCpu(from: CpuSnapshot, to: CpuSnapshot, notifications: number): void {
  const seconds = (to.at - from.at) / 1000;
  const line = (name: string, cpuSeconds: number) =>
    `    ${name.padEnd(44)} ${((cpuSeconds / seconds) * 100).toFixed(0).padStart(4)} % of a core  ${((cpuSeconds * 1000) / Math.max(1, notifications)).toFixed(2).padStart(6)} ms per notification`;
  console.log(`  CPU over the measured run (${seconds.toFixed(1)} s, ${notifications} notifications received; ${cpus().length} cores):`);
  for (const [name, cpu] of to.services) console.log(line(name, cpu - (from.services.get(name) ?? 0)));
  console.log(line('benchmark process (fake Twilio, producer, reader)', to.bench - from.bench));
  console.log(line('whole machine (with Kafka, FerretDB, others)', to.machine - from.machine));
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 500);
  const seconds = Number(process.argv[3] ?? 20);
  const total = Math.round(rate * seconds);
  const twilio = await new FakeTwilio({ callbackDelayMs: 20 }).start();
  const platform = await new PlatformUnderTest().start(['notifier', 'channel-sms'], {
    'channel-sms': {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: OUR_NUMBER,
      TWILIO_API_BASE_URL: twilio.url,
      // To compare settings: SMS_SEND_CONCURRENCY=50 npm run bench:notifications
      ...(process.env.SMS_SEND_CONCURRENCY ? { SMS_SEND_CONCURRENCY: process.env.SMS_SEND_CONCURRENCY } : {}),
    },
  });
  const handedOver = await new TopicReader(platform.infra.kafkaBrokers, platform.topic('outbound.sms')).start();
  const producer = new Kafka({ clientId: 'bench-notifications', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const publishedAt = new Map<number, number>();
  const send = async (numbers: number[]) => {
    const events = numbers.map(ticketOpened);
    const at = Date.now();
    for (const n of numbers) publishedAt.set(n, at);
    await producer.send({ topic: platform.topic('tickets'), messages: events.map((e) => ({ key: e.ticket.id, value: JSON.stringify(e) })) });
  };
  try {
    // Warm-up, not measured: JIT, consumer fetch loops, connection pools, the SDK's HTTP agent.
    const warmup = Math.min(50, Math.round(rate));
    await send(Array.from({ length: warmup }, (_, i) => FIRST_NUMBER - warmup + i));
    const warmDeadline = Date.now() + 120_000;
    while (twilio.messages.length < warmup && Date.now() < warmDeadline) await new Promise((r) => setTimeout(r, 100));
    const warmedUp = twilio.messages.length;

    // The measured run: every 10 ms, as many events as keep the cumulative rate on target.
    const infra = infraPids();
    const cpuAtStart = cpuSnapshot(platform, infra);
    const started = Date.now();
    let next = FIRST_NUMBER;
    while (next < FIRST_NUMBER + total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate)) - (next - FIRST_NUMBER);
      if (due > 0) {
        const batch = Array.from({ length: due }, (_, i) => next + i);
        next += due;
        await send(batch);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const publishEnded = Date.now();
    const deadline = publishEnded + 180_000;
    while (twilio.messages.length - warmedUp < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // The last callbacks follow the last message; their cost belongs to the run.
    const settle = Date.now() + 2_000;
    while (Date.now() < settle && twilio.messages.some((m) => m.callbacks.length < 2 && m.statusCallback)) await new Promise((r) => setTimeout(r, 100));
    const cpuAtEnd = cpuSnapshot(platform, infra);

    const latencies: number[] = [];
    const receivedPerSecond = new Map<number, number>();
    for (const message of twilio.messages) {
      const number = Number(/#(\d+)/.exec(message.body)?.[1]);
      const at = publishedAt.get(number);
      if (at === undefined || number < FIRST_NUMBER) continue;
      const arrived = message.dateCreated.getTime();
      latencies.push(arrived - at);
      const second = Math.floor((arrived - started) / 1000);
      receivedPerSecond.set(second, (receivedPerSecond.get(second) ?? 0) + 1);
    }
    latencies.sort((a, b) => a - b);
    const lastArrival = Math.max(...twilio.messages.map((m) => m.dateCreated.getTime()));

    const db = await mongoose.createConnection(platform.infra.mongoUrl, { dbName: platform.dbName }).asPromise();
    const composed = await db.collection('notifications').find({ ticketNumber: { $gte: FIRST_NUMBER } }, { projection: { createdAt: 1 } }).toArray();
    // After the measured run: every status the callbacks reported must end up stored (the notifier may still hold the last receipts briefly).
    const statuses = async () => {
      const stored = await db.collection('notifications').find({ ticketNumber: { $gte: FIRST_NUMBER } }, { projection: { status: 1, 'deliveries.status': 1 } }).toArray();
      const byStatus = new Map<string, number>();
      for (const n of stored) byStatus.set(String(n.status), (byStatus.get(String(n.status)) ?? 0) + 1);
      const entries = stored.reduce((sum, n) => sum + ((n.deliveries as unknown[] | undefined)?.length ?? 0), 0);
      return { byStatus, entries, count: stored.length };
    };
    const storedDeadline = Date.now() + 30_000;
    let stored = await statuses();
    while ((stored.byStatus.get('delivered') ?? 0) < latencies.length && Date.now() < storedDeadline) {
      await new Promise((r) => setTimeout(r, 500));
      stored = await statuses();
    }
    await db.close();
    handledCount = composed.length + warmedUp;
    const composedTimes = composed.map((n) => new Date(n.createdAt as Date).getTime()).sort((a, b) => a - b);
    const handed = handedOver.records.filter((r) => Number(/"ticketNumber":(\d+)/.exec(r.value ?? '')?.[1]) >= FIRST_NUMBER).length;

    const span = (ms: number) => (ms / 1000).toFixed(1);
    const perSecond = [...receivedPerSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    console.log(`notification benchmark: ${total} ticket events at a target of ${rate}/s for ${seconds} s (published in ${span(publishEnded - started)} s)`);
    console.log(`  composed (stored by the notifier):   ${composed.length}, ${(composed.length / ((composedTimes[composedTimes.length - 1] - started) / 1000)).toFixed(0)}/s over ${span(composedTimes[composedTimes.length - 1] - started)} s`);
    console.log(`  handed to channel-sms (outbound.sms): ${handed}`);
    console.log(`  received by the fake Twilio:          ${latencies.length}, ${(latencies.length / ((lastArrival - started) / 1000)).toFixed(0)}/s over ${span(lastArrival - started)} s`);
    console.log(`  per second at Twilio: ${perSecond.join(' ')}`);
    if (latencies.length > 0) {
      console.log(`  end to end (event published -> Twilio API received): p50 ${percentile(latencies, 50)} ms  p95 ${percentile(latencies, 95)} ms  p99 ${percentile(latencies, 99)} ms  max ${latencies[latencies.length - 1]} ms`);
    }
    console.log(`  stored by the notifier afterwards: ${[...stored.byStatus].map(([status, n]) => `${status} ${n}`).join(', ')}; ${(stored.entries / Math.max(1, stored.count)).toFixed(2)} receipts per notification`);
    printCpu(cpuAtStart, cpuAtEnd, latencies.length);
  } finally {
    await producer.disconnect();
    await handedOver.stop();
    await platform.stop();
    await twilio.stop();
  }
  printCommandTally(handledCount);
}

interface ProbedCommand {
  command: string;
  collection: string;
  shape: string;
  pushdown: boolean;
  count: number;
  failed: number;
  totalMs: number;
  maxMs: number;
}

/** With MONGO_PROBE_DIR set (and the probe preloaded, see mongo-command-probe.js): MongoDB commands per notification, by service. */
function printCommandTally(notifications: number): void {
  const dir = process.env.MONGO_PROBE_DIR;
  if (!dir || !existsSync(dir)) return;
  console.log(`\nMongoDB commands per notification (${notifications} notifications composed, warm-up included; ms are client-side round trips):`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const { service, commands: probed } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { service: string; commands: ProbedCommand[] };
    const commands = groupBatches(probed);
    const total = commands.reduce((sum, c) => sum + c.totalMs, 0);
    console.log(`  ${service}: ${(commands.reduce((n, c) => n + c.count, 0) / notifications).toFixed(2)} commands, ${(total / notifications).toFixed(1)} ms per notification`);
    for (const c of commands.sort((a, b) => b.totalMs - a.totalMs)) {
      const mean = c.totalMs / c.count;
      const statements = c.statements > c.count ? `  (${(c.statements / notifications).toFixed(2)} ${c.command === 'insert' ? 'documents' : 'statements'} per notification, ${(c.statements / c.count).toFixed(1)} per command)` : '';
      console.log(`    ${(c.count / notifications).toFixed(2).padStart(6)} x ${c.command.padEnd(13)} ${c.collection.padEnd(26)} ${c.pushdown ? '_id ' : 'SCAN'} mean ${mean.toFixed(1).padStart(7)} ms  max ${c.maxMs.toFixed(0).padStart(6)} ms  ${c.shape}${statements}${c.failed ? `  (${c.failed} failed)` : ''}`);
    }
  }
}

/**
 * Batched commands differ only in how many statements or documents they carry (`5 doc(s)`,
 * `{_id:string} $set; {_id:string} $set`): one line per kind, with the statements counted.
 */
function groupBatches(commands: ProbedCommand[]): (ProbedCommand & { statements: number })[] {
  const grouped = new Map<string, ProbedCommand & { statements: number }>();
  for (const c of commands) {
    const docs = /^(\d+) doc\(s\)$/.exec(c.shape);
    const parts = c.shape.split('; ');
    const each = docs ? Number(docs[1]) : c.command === 'update' || c.command === 'delete' ? parts.length : 1;
    const shape = docs ? 'doc(s)' : c.command === 'update' || c.command === 'delete' ? [...new Set(parts)].join(' | ') : c.shape;
    const key = `${c.command} ${c.collection} ${shape}`;
    const entry = grouped.get(key) ?? { ...c, shape, count: 0, failed: 0, totalMs: 0, maxMs: 0, statements: 0 };
    entry.count += c.count;
    entry.failed += c.failed;
    entry.totalMs += c.totalMs;
    entry.maxMs = Math.max(entry.maxMs, c.maxMs);
    entry.statements += each * c.count;
    grouped.set(key, entry);
  }
  return [...grouped.values()];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
