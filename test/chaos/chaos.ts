// Fault injection under steady load, then reconciliation from the outside. See test/chaos/README.md.
// Run: npm run build && node -r ./test/register-ts.js test/chaos/chaos.ts   (CHAOS_SIZE=small|medium|full)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { DEAD_LETTER_TOPIC } from '@switchboard/contracts';
import { DeadLetterEntry, replayDeadLetters } from '@switchboard/messaging';
import { CustomerSocket, eventually, FakeMetaGraph, FakeTwilio, freePort, PlatformUnderTest, ServiceName, SmtpSink } from '@switchboard/testing';
import { CustomerDrivers, CustomerMessage, LOAD_CHANNELS, MessageFactory } from './customers';
import { FaultProxy } from './fault-proxy';
import { OwnInfra } from './own-infra';
import { duplicated, FaultWindow, lost, reconcile, Reconciliation, SentMessage } from './reconcile';

interface Size {
  /** New messages per second, over all four channels. */
  rate: number;
  /** How long a service stays SIGSTOPped. */
  pauseMs: number;
  /** How long the providers fail (Twilio 500s, the Graph API never answers). */
  outageMs: number;
  /** How long the broker and the database stay dead before they are restarted. */
  downMs: number;
  /** Load between two faults. */
  settleMs: number;
  /** After the load, how long the platform may go without finishing anything more before the run gives up. */
  drainMs: number;
}

const SIZES: Record<string, Size> = {
  small: { rate: 0.8, pauseMs: 6_000, outageMs: 8_000, downMs: 3_000, settleMs: 1_500, drainMs: 60_000 },
  medium: { rate: 2, pauseMs: 15_000, outageMs: 30_000, downMs: 5_000, settleMs: 4_000, drainMs: 90_000 },
  full: { rate: 4, pauseMs: 30_000, outageMs: 60_000, downMs: 10_000, settleMs: 8_000, drainMs: 120_000 },
};

const FOLLOW_UP_SHARE = 0.25;
/** Share of accepted messages the provider delivers a second time. */
const DUPLICATE_SHARE = 0.1;
/** A provider keeps retrying an unanswered or refused webhook / mail this long. */
const RETRY_FOR_MS = 120_000;
const SUPPORT = 'support@example.com';
const OUR_NUMBER = '+15005550006';
const RESTART_EVERY_MS = 5_000;
const ALL: ServiceName[] = ['channel-inapp', 'channel-sms', 'channel-social', 'channel-email', 'classifier', 'router', 'notifier'];

const t0 = Date.now();
const say = (line: string) => console.log(`[chaos ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const sizeName = process.env.CHAOS_SIZE ?? 'small';
  const size = SIZES[sizeName];
  if (!size) throw new Error(`CHAOS_SIZE=${sizeName}: use ${Object.keys(SIZES).join(', ')}`);
  if (process.env.CHAOS_RATE) size.rate = Number(process.env.CHAOS_RATE);
  if (!(size.rate > 0)) throw new Error(`CHAOS_RATE=${process.env.CHAOS_RATE} is not a rate in msg/s`);
  say(`size ${sizeName}: ${size.rate} msg/s, pause ${size.pauseMs / 1000} s, provider outage ${size.outageMs / 1000} s, broker/database down ${size.downMs / 1000} s`);

  const infra = new OwnInfra((line) => say(`infra: ${line}`));
  const twilio = new FakeTwilio({ callbackDelayMs: 100 });
  const graph = new FakeMetaGraph({ accessToken: 'EAAG-chaos-token', appSecret: 'chaos-meta-app-secret', phoneNumberId: '106500000000011', pageId: '104000000000012', instagramAccountId: '178410000000013' });
  const mail = new SmtpSink();
  const twilioProxy = new FaultProxy(() => twilio.url);
  const graphProxy = new FaultProxy(() => graph.url);
  let platform: PlatformUnderTest | undefined;
  let db: Connection | undefined;
  const sockets: CustomerSocket[] = [];
  let ok = false;
  const unbuilt = ALL.filter((name) => !existsSync(join(__dirname, '../../dist/services', name, 'src/main.js')));
  if (unbuilt.length) {
    say(`not built: ${unbuilt.join(', ')}; run \`npm run build\` first (npm test does)`);
    return 1;
  }
  try {
    await infra.up();
    process.env.KAFKA_BROKERS = infra.kafkaBrokers;
    process.env.MONGO_URL = infra.mongoUrl;
    await Promise.all([twilio.start(), graph.start(), mail.start(), twilioProxy.start(), graphProxy.start()]);
    const emailPort = await freePort();
    platform = new PlatformUnderTest();
    // Every service's port stays the same across restarts: Twilio's callbacks and the MX keep their address.
    say(`starting ${ALL.length} services (logs in ${platform.logDir})`);
    Object.assign(platform.serviceEnv, {
      'channel-sms': { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioProxy.url },
      'channel-social': {
        META_APP_SECRET: graph.options.appSecret,
        META_VERIFY_TOKEN: 'chaos-verify',
        META_ACCESS_TOKEN: graph.options.accessToken,
        WHATSAPP_PHONE_NUMBER_ID: graph.options.phoneNumberId,
        GRAPH_API_BASE_URL: graphProxy.url,
        GRAPH_API_VERSION: 'v21.0',
        SOCIAL_SEND_TIMEOUT_MS: '3000',
      },
      'channel-email': { EMAIL_SMTP_PORT: String(emailPort), EMAIL_SMTP_URL: mail.url, EMAIL_FROM: `Switchboard Support <${SUPPORT}>`, EMAIL_PUBLISH_TIMEOUT_MS: '10000' },
    });
    const pf = platform;
    // One at a time (the first creates the topics); a slow first health answer is waited for below.
    for (const name of ALL) {
      await pf.restart(name).catch((error: unknown) => say(`  ${name}: ${error instanceof Error ? error.message : String(error)}; still waiting for it`));
    }
    await allHealthy(pf);
    db = await mongoose.createConnection(infra.mongoUrl, { dbName: pf.dbName }).asPromise();
    const drivers = new CustomerDrivers({
      inappUrl: () => pf.service('channel-inapp').url,
      smsUrl: () => pf.service('channel-sms').url,
      socialUrl: () => pf.service('channel-social').url,
      emailPort,
      supportAddress: SUPPORT,
      ourNumber: OUR_NUMBER,
      identitySecret: pf.identitySecret,
      twilio,
      graph,
    });

    // ---- steady load ---------------------------------------------------------------------
    const factory = new MessageFactory();
    const sent: SentMessage[] = [];
    const inFlight = new Set<Promise<void>>();
    const openers: SentMessage[] = [];
    let loading = true;
    const deliver = (message: CustomerMessage) => {
      const record: SentMessage = { message, accepted: false, attempts: 0, duplicatedOnPurpose: false };
      sent.push(record);
      if (!message.followUp) openers.push(record);
      const work = (async () => {
        const deadline = Date.now() + RETRY_FOR_MS;
        for (let wait = 250; Date.now() < deadline; wait = Math.min(wait * 2, 4_000)) {
          record.attempts++;
          const answer = await drivers.deliver(message);
          if (answer.ok) {
            record.accepted = true;
            break;
          }
          await sleep(wait);
        }
        if (record.accepted && Math.random() < DUPLICATE_SHARE) {
          record.duplicatedOnPurpose = true;
          await sleep(200);
          await drivers.deliver(message);
        }
      })();
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    };
    const loader = (async () => {
      let n = 0;
      const interval = 1000 / size.rate;
      const start = Date.now();
      while (loading) {
        const channel = LOAD_CHANNELS[n % LOAD_CHANNELS.length];
        const earlier = openers.filter((o) => o.accepted && o.message.channel === channel);
        const first = earlier[Math.floor(Math.random() * earlier.length)];
        deliver(first && Math.random() < FOLLOW_UP_SHARE ? factory.followUp(first.message) : factory.opener(channel));
        n++;
        const due = start + n * interval;
        await sleep(Math.max(0, due - Date.now()));
      }
    })();

    // ---- faults, one after the other -------------------------------------------------------
    const faults: FaultWindow[] = [];
    const fault = async (name: string, act: () => Promise<void>) => {
      const window = { name, start: Date.now(), end: 0 };
      say(`fault: ${name}`);
      await act();
      window.end = Date.now();
      faults.push(window);
      await allHealthy(pf);
      say(`  recovered in ${((Date.now() - window.start) / 1000).toFixed(1)} s; ${sent.filter((s) => s.accepted).length}/${sent.length} accepted so far`);
      await sleep(size.settleMs);
    };

    await sleep(size.settleMs * 2);
    for (const name of ALL) {
      await fault(`kill -9 ${name}`, async () => {
        await pf.service(name).kill();
        await sleep(500);
        await startService(pf, name);
      });
    }
    for (const component of ['kafka', 'mongo'] as const) {
      await fault(`kill -9 ${component === 'kafka' ? 'the Kafka broker' : 'the database server'}`, async () => {
        infra.kill(component);
        await infra.waitGone(component);
        await sleep(size.downMs);
        await infra.up();
      });
    }
    await fault(`SIGSTOP router for ${size.pauseMs / 1000} s (slow consumer)`, async () => {
      const pid = pf.service('router').pid;
      if (!pid) throw new Error('router has no pid');
      process.kill(pid, 'SIGSTOP');
      await sleep(size.pauseMs);
      process.kill(pid, 'SIGCONT');
    });
    await fault(`providers down for ${size.outageMs / 1000} s: Twilio answers 500, the Graph API never answers`, async () => {
      twilioProxy.fault = { kind: 'status', status: 500 };
      graphProxy.fault = { kind: 'hang' };
      await sleep(size.outageMs);
      twilioProxy.heal();
      graphProxy.heal();
    });
    say(`faulted provider calls: Twilio ${twilioProxy.faulted.status} (500), Graph ${graphProxy.faulted.hang} (no answer)`);

    loading = false;
    await loader;
    say(`load stopped: ${sent.length} messages sent; waiting for the providers' retries`);
    await Promise.all([...inFlight]);

    // ---- drain: the app customers open the app; everything must settle ---------------------
    const inappCustomers = [...new Set(sent.filter((s) => s.message.channel === 'inapp' && s.accepted).map((s) => s.message.contact))];
    for (const userId of inappCustomers) sockets.push(await new CustomerSocket(pf.service('channel-inapp').url, drivers.inappToken(userId)).connect());
    say(`${inappCustomers.length} in-app customers opened the app; draining (until nothing moves for ${size.drainMs / 1000} s)`);

    const kafka = new Kafka({ clientId: 'chaos-reconcile', brokers: [infra.kafkaBrokers], logLevel: logLevel.NOTHING });
    const deadLetterTopic = pf.topic(DEAD_LETTER_TOPIC);
    const providers = { twilio, graph, mail };
    const settled = async (): Promise<Reconciliation> => {
      const readDeadLetters = async () => (await replayDeadLetters(kafka, { deadLetterTopic, dryRun: true })).read;
      // A backlog is not a loss: wait while the count of unfinished work keeps going down, and
      // stop when it reaches zero or has not moved for the size's drain time.
      let best = Infinity;
      let movedAt = Date.now();
      for (;;) {
        const open = lost(await reconcile(db as Connection, sent, providers, [], faults));
        if (open === 0) break;
        if (open < best) {
          if (best !== Infinity) say(`  ${open} messages or notifications not finished yet`);
          best = open;
          movedAt = Date.now();
        }
        if (Date.now() - movedAt > size.drainMs) break;
        await sleep(5_000);
      }
      // Redeliveries after the last crash get a moment to show a duplicate before counting.
      await sleep(3_000);
      return reconcile(db as Connection, sent, providers, await readDeadLetters(), faults);
    };
    let result = await settled();

    // ---- dead letters: explained ones are replayed, as an operator would ------------------
    let replayed: DeadLetterEntry[] = [];
    if (result.deadLetters.length > 0) {
      say(`${result.deadLetters.length} dead letters; replaying those due to an injected fault`);
      const explained = new Set(result.deadLetters.filter((d) => d.explainedBy).map((d) => `${d.entry.partition}:${d.entry.offset}`));
      replayed = (await replayDeadLetters(kafka, { deadLetterTopic, select: (e) => explained.has(`${e.partition}:${e.offset}`) })).replayed;
      result = await settled();
    }

    print(result, replayed.length, faults);
    ok = lost(result) === 0 && duplicated(result) === 0 && result.deadLetters.every((d) => d.explainedBy);
    return ok ? 0 : 1;
  } finally {
    for (const socket of sockets) socket.close();
    await db?.close().catch(() => undefined);
    await platform?.stop().catch(() => undefined);
    await Promise.allSettled([twilio.stop(), graph.stop(), mail.stop(), twilioProxy.stop(), graphProxy.stop()]);
    // Data kept after a failure, for the post-mortem; wiped after a clean run.
    await infra.down(ok).catch((error: unknown) => say(`infra down failed: ${String(error)}`));
    if (!ok) say(`infra data and logs kept in .data/${infra.profile}; service logs under .data/e2e-logs`);
  }
}

/**
 * Every service answered /health (Kafka and MongoDB reachable) since the fault; one that died is a
 * finding and is restarted, as a supervisor would. Under CPU contention a health probe can miss its
 * 3 s budget now and then, so each service needs one good answer, not all of them at the same moment.
 */
async function allHealthy(platform: PlatformUnderTest): Promise<void> {
  const seen = new Set<ServiceName>();
  const lastStart = new Map<ServiceName, number>();
  await eventually(
    async () => {
      for (const name of ALL) {
        if (seen.has(name)) continue;
        const service = platform.service(name);
        // A service that dies again at once is restarted every few seconds, not in a tight loop.
        if ((!service.pid || !isRunning(service.pid)) && Date.now() - (lastStart.get(name) ?? 0) > RESTART_EVERY_MS) {
          say(`  ${name} is not running (crashed during the fault); restarting it`);
          lastStart.set(name, Date.now());
          await startService(platform, name);
        }
        if (await service.healthy()) seen.add(name);
      }
      return seen.size === ALL.length || undefined;
    },
    300_000,
    'services did not become healthy again',
  );
}

/** Starts the process; a slow first health answer is left to allHealthy, which waits longer. */
async function startService(platform: PlatformUnderTest, name: ServiceName): Promise<void> {
  await platform
    .service(name)
    .start()
    .catch((error: unknown) => say(`  ${name}: ${error instanceof Error ? error.message : String(error)}; still waiting for it`));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function print(r: Reconciliation, replayed: number, faults: FaultWindow[]): void {
  const list = (label: string, items: string[]) => {
    if (items.length === 0) return;
    console.log(`  ${label} (${items.length}):`);
    for (const item of items.slice(0, 20)) console.log(`    ${item}`);
    if (items.length > 20) console.log(`    ... ${items.length - 20} more`);
  };
  console.log('\nfaults injected:');
  for (const f of faults) console.log(`  ${f.name} (${((f.end - f.start) / 1000).toFixed(1)} s)`);
  console.log('\nreconciliation:');
  console.log(`  sent ${r.sent}  accepted ${r.accepted}  refused for good ${r.refused}  delivered twice on purpose ${r.duplicateDeliveries}`);
  console.log(`  stored messages ${r.storedMessages}  tickets ${r.tickets}  notifications ${r.notifications}`);
  const byStatus = new Map<string, number>();
  for (const f of r.failedNotifications) byStatus.set(`${f.status} ${f.errorCode}`, (byStatus.get(`${f.status} ${f.errorCode}`) ?? 0) + 1);
  console.log(`  notifications failed with a reason ${r.failedNotifications.length}${byStatus.size ? ` (${[...byStatus].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}; SMS sent without a delivery report ${r.sentWithoutReport.length}`);
  console.log(`  dead letters ${r.deadLetters.length} (replayed ${replayed}, unexplained ${r.deadLetters.filter((d) => !d.explainedBy).length})`);
  for (const d of r.deadLetters) console.log(`    ${d.entry.reason} ${d.entry.originTopic} (${d.entry.consumerGroup}): ${d.entry.error.split('\n')[0].slice(0, 120)} -> ${d.explainedBy ?? 'UNEXPLAINED'}`);
  list('lost messages', r.lostMessages);
  list('missing notifications', r.missingNotifications);
  list('unfinished notifications', r.unfinishedNotifications);
  list('duplicate messages', r.duplicateMessages);
  list('duplicate tickets', r.duplicateTickets);
  list('duplicate notifications', r.duplicateNotifications);
  list('duplicate sends', r.duplicateSends);
  console.log(`\nchaos: sent ${r.sent}, accepted ${r.accepted}, tickets ${r.tickets}, notifications ${r.notifications}, duplicates ${duplicated(r)}, lost ${lost(r)}`);
}

main().then(
  (code) => {
    say(code === 0 ? 'PASS' : 'FAIL');
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
