// End-to-end load benchmark on all four channels, with the bare Kafka/MongoDB path as the yardstick.
// Run: npm run build && npm run bench:load -- [--rates 100,250,500] [--step 20] [--agents 20]
// See test/bench/load/README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import { Command, TicketEvent } from '@switchboard/contracts';
import { FakeMetaGraph, FakeTwilio, freePort, PlatformUnderTest, ServiceName, SmtpSink, SunkMail } from '@switchboard/testing';
import { CustomerDrivers, CustomerMessage, LOAD_CHANNELS, LoadChannel, MessageFactory } from '../../chaos/customers';
import { OwnInfra } from '../../chaos/own-infra';
import { BareResult, runBarePath } from './bare-path';
import { LagSampler, lagGrowing, maxLagByGroup, percentiles, Percentiles, ProcessSampler } from './metrics';
import { countLogEvents, LogEvents } from './log-events';
import { EmailBreakdown, emailBreakdown, EmailStamps, formatBreakdown, mailSentStamps } from './email-trace';
import { renderChart } from './svg-chart';

const ALL: ServiceName[] = ['channel-inapp', 'channel-sms', 'channel-social', 'channel-email', 'classifier', 'router', 'notifier'];
const SUPPORT = 'support@example.com';
const OUR_NUMBER = '+15005550006';
const FOLLOW_UP_SHARE = 0.2;
const P99_LIMIT_MS = 100;

/** The Graph fake, stamping when each call arrived. */
class TimedGraph extends FakeMetaGraph {
  readonly arrivals = new Map<string, number>();
  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await super.handle(req, res);
    const last = this.requests[this.requests.length - 1];
    const to = String(last?.body.to ?? '');
    if (last?.status === 200 && !this.arrivals.has(to)) this.arrivals.set(to, performance.now());
  }
}

interface Tracked {
  message: CustomerMessage;
  sentAt: number;
  acceptedAt?: number;
  routedAt?: number;
  ackAt?: number;
  step: number;
}

interface StepResult {
  offeredRate: number;
  seconds: number;
  sent: number;
  accepted: number;
  routed: number;
  acknowledged: number;
  throughput: number;
  routedMs: Percentiles;
  ackMs: Percentiles;
  perChannel: Record<string, { sent: number; routedMs: Percentiles; ackMs: Percentiles }>;
  lagGrowing: boolean;
  maxLag: number;
  /** Each consumer group's largest lag from the step's start to the end of its drain. */
  maxLagByGroup: Record<string, number>;
  /** Retries, dead letters, rebalances, lock timeouts... in the services' logs, by service, up to the end of the step's drain (cumulative). */
  logEvents: Record<string, LogEvents>;
  sustained: boolean;
  processes: Record<string, { cpuPercent: number; rssMiB: number }>;
  bare?: BareResult;
  /** How late the load generator's own event loop ran its callbacks in the step (it hosts every provider fake and the SMTP sink). */
  generatorLoopDelayMs?: { p50: number; p99: number; max: number };
  /** Email acknowledgements hop by hop (email-trace.ts). */
  emailHops?: EmailBreakdown;
}

type SunkTimings = SunkMail['timings'];
const say = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '100,250,500,1000,2000' },
      step: { type: 'string', default: '20' },
      agents: { type: 'string', default: '20' },
      'resolve-after': { type: 'string', default: '2000' },
      drain: { type: 'string', default: '15' },
      'no-bare': { type: 'boolean', default: false },
      'keep-going': { type: 'boolean', default: false },
    },
  });
  const rates = (values.rates ?? '').split(',').map(Number).filter((n) => n > 0);
  const stepSeconds = Number(values.step);
  const drainMs = Number(values.drain) * 1000;

  let infra: OwnInfra | undefined;
  if (!process.env.KAFKA_BROKERS || !process.env.MONGO_URL) {
    infra = new OwnInfra((line) => say(`infra: ${line}`), 'bench');
    await infra.up();
    process.env.KAFKA_BROKERS = infra.kafkaBrokers;
    process.env.MONGO_URL = infra.mongoUrl;
  }
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
  const twilio = new FakeTwilio({ callbackDelayMs: 50 });
  const graph = new TimedGraph({ accessToken: 'EAAG-bench-token', appSecret: 'bench-meta-app-secret', phoneNumberId: '106500000000021', pageId: '104000000000022', instagramAccountId: '178410000000023' });
  const mail = new SmtpSink({ replyBeforeParse: true });
  const mailArrivals = new Map<string, number>();
  const push = mail.mails.push.bind(mail.mails);
  mail.mails.push = (...mails) => {
    // Arrived when the sink answered 250 (end of DATA), as the other fakes stamp a request's arrival, not when the bench got round to parsing it.
    for (const m of mails) for (const to of m.envelope.rcptTo) if (!mailArrivals.has(to.toLowerCase())) mailArrivals.set(to.toLowerCase(), m.timings.receivedAt - performance.timeOrigin);
    return push(...mails);
  };
  await Promise.all([twilio.start(), graph.start(), mail.start()]);
  const emailPort = await freePort();
  const platform = new PlatformUnderTest();
  const kafka = new Kafka({ clientId: 'bench-load', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  const ticketsReader = kafka.consumer({ groupId: `bench-${platform.runId}`, maxWaitTimeInMs: 50 });
  // When the notifier published each recipient's first mail (the record's timestamp).
  const outboundEmailReader = kafka.consumer({ groupId: `bench-email-${platform.runId}`, maxWaitTimeInMs: 50 });
  const emailPublishedAt = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const results: StepResult[] = [];
  try {
    // The yardstick is measured first, on a machine the platform does not load yet: measured after
    // each step, it shared the CPU with the pipeline's backlog and fell with it (1.9 msg/s at 250).
    const bareByRate = new Map<number, BareResult>();
    for (const rate of values['no-bare'] ? [] : rates) {
      say(`bare path at ${rate} msg/s for ${stepSeconds} s`);
      const bare = await runBarePath(brokers, process.env.MONGO_URL ?? '', rate, stepSeconds, drainMs);
      say(`  bare path: ${bare.completed}/${bare.sent}, ${bare.throughput.toFixed(1)} msg/s`);
      bareByRate.set(rate, bare);
    }
    say(`starting ${ALL.length} services on ${brokers.join(',')} (logs in ${platform.logDir})`);
    await platform.start(ALL, {
      'channel-sms': { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilio.url, LOG_LEVEL: 'warn' },
      'channel-social': {
        META_APP_SECRET: graph.options.appSecret,
        META_VERIFY_TOKEN: 'bench-verify',
        META_ACCESS_TOKEN: graph.options.accessToken,
        WHATSAPP_PHONE_NUMBER_ID: graph.options.phoneNumberId,
        GRAPH_API_BASE_URL: graph.url,
        GRAPH_API_VERSION: 'v21.0',
        LOG_LEVEL: 'warn',
      },
      // info: its `mail sent` lines carry the stamps of the email breakdown.
      // EMAIL_SMTP_TRACE=true in the bench's environment: every SMTP line channel-email sends and receives, timestamped, in its log.
      'channel-email': { EMAIL_SMTP_PORT: String(emailPort), EMAIL_SMTP_URL: mail.url, EMAIL_FROM: `Switchboard Support <${SUPPORT}>`, LOG_LEVEL: process.env.EMAIL_SMTP_TRACE === 'true' ? 'debug' : 'info' },
      'channel-inapp': { LOG_LEVEL: 'warn' },
      classifier: { LOG_LEVEL: 'warn' },
      router: { LOG_LEVEL: 'warn' },
      notifier: { LOG_LEVEL: 'warn', NOTIFY_MAX_PER_CONTACT_PER_HOUR: '1000' },
    });
    await Promise.all([admin.connect(), producer.connect(), ticketsReader.connect(), outboundEmailReader.connect()]);
    await outboundEmailReader.subscribe({ topic: platform.topic('outbound.email'), fromBeginning: true });
    await outboundEmailReader.run({
      eachMessage: async ({ message }) => {
        const to = (JSON.parse(message.value?.toString() ?? '{}') as { contact?: { address?: string } }).contact?.address?.toLowerCase();
        if (to && !emailPublishedAt.has(to)) emailPublishedAt.set(to, Number(message.timestamp));
      },
    });
    const drivers = new CustomerDrivers({
      inappUrl: () => platform.service('channel-inapp').url,
      smsUrl: () => platform.service('channel-sms').url,
      socialUrl: () => platform.service('channel-social').url,
      emailPort,
      supportAddress: SUPPORT,
      ourNumber: OUR_NUMBER,
      identitySecret: platform.identitySecret,
      twilio,
      graph,
    });

    // ---- what the platform did, observed from outside ---------------------------------------
    const byProviderId = new Map<string, Tracked>();
    const openerByContact = new Map<string, Tracked>();
    const command = (agentId: string, body: Command['command']) => {
      const cmd = { schemaVersion: 1, eventId: randomUUID(), actor: { id: agentId, role: 'agent' }, issuedAt: new Date().toISOString(), command: body };
      const key = 'ticketId' in body ? body.ticketId : agentId;
      return producer.send({ topic: platform.topic('commands'), acks: -1, messages: [{ key, value: JSON.stringify(cmd) }] }).catch(() => undefined);
    };
    const agents = Array.from({ length: Number(values.agents) }, (_, i) => `bench-agent-${i + 1}`);
    const answered = new Set<string>();
    const resolveAfter = Number(values['resolve-after']);
    await ticketsReader.subscribe({ topic: platform.topic('tickets'), fromBeginning: true });
    await ticketsReader.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as TicketEvent;
        const pmid = event.message?.providerMessageId;
        if (pmid && (event.type === 'ticket.opened' || event.type === 'ticket.message_added' || event.type === 'ticket.reopened')) {
          const tracked = byProviderId.get(pmid.replace(/^<|>$/g, ''));
          if (tracked && tracked.routedAt === undefined) tracked.routedAt = performance.now();
        }
        // Agents take what they are offered and resolve it a little later.
        const agent = event.routing?.agentId;
        if (agent && event.type === 'ticket.offered' && !answered.has(event.eventId)) {
          answered.add(event.eventId);
          void command(agent, { type: 'ticket.accept', ticketId: event.ticket.id, agentId: agent });
        }
        if (agent && event.type === 'ticket.assigned') setTimeout(() => void command(agent, { type: 'ticket.resolve', ticketId: event.ticket.id }), resolveAfter);
      },
    });
    for (const agent of agents) {
      await command(agent, {
        type: 'agent.upsert',
        agent: { id: agent, displayName: `Agent ${agent.slice(12)}`, skills: ['trust-and-safety', 'account-access', 'payments', 'refunds'], languages: ['id', 'en', 'zh'], teams: [], level: 2, capacity: { chat: 20, email: 20, sms: 20, social: 20 }, presence: 'available' },
      });
    }
    // Acknowledgements as the providers and the app see them.
    const ackPoll = setInterval(() => {
      for (const m of twilio.messages) stampAck(`sms:${m.to}`, m.dateCreated ? performance.now() - (Date.now() - m.dateCreated.getTime()) : performance.now());
      for (const [to, at] of graph.arrivals) stampAck(`social:${to}`, at);
      for (const [to, at] of mailArrivals) stampAck(`email:${to}`, at);
    }, 20);
    const stampAck = (contact: string, at: number) => {
      const opener = openerByContact.get(contact);
      if (opener && opener.ackAt === undefined) opener.ackAt = at;
    };

    const groups = ['classifier', 'router', 'notifier', 'channel-inapp', 'channel-sms', 'channel-social', 'channel-email'];
    const topics: Record<string, string> = { classifier: 'inbound', router: 'classified', notifier: 'tickets', 'channel-inapp': 'outbound.inapp', 'channel-sms': 'outbound.sms', 'channel-social': 'outbound.social', 'channel-email': 'outbound.email' };
    const lag = new LagSampler(
      admin,
      groups.map((g) => ({ group: platform.topic(g), topic: platform.topic(topics[g]) })),
    ).start(1_000);
    const pids = () => {
      const out: Record<string, number | undefined> = {};
      for (const name of ALL) out[name] = platform.service(name).pid;
      if (infra) {
        out.kafka = safePid(() => infra?.pid('kafka'));
        out.mongo = safePid(() => infra?.pid('mongo'));
      }
      out['load generator'] = process.pid;
      return out;
    };

    const epoch = (t: number | undefined) => (t === undefined ? undefined : performance.timeOrigin + t);
    const emailHops = (openers: Tracked[]): EmailBreakdown => {
      const logged = mailSentStamps(platform.logDir);
      const sunk = new Map<string, SunkTimings>();
      for (const m of mail.mails) for (const to of m.envelope.rcptTo) if (!sunk.has(to.toLowerCase())) sunk.set(to.toLowerCase(), m.timings);
      return emailBreakdown(
        openers.map((t): EmailStamps => {
          const to = t.message.contact.toLowerCase();
          return { acceptedAt: epoch(t.acceptedAt), routedAt: epoch(t.routedAt), publishedAt: emailPublishedAt.get(to), ...logged.get(to), ...sunk.get(to) };
        }),
      );
    };

    const factory = new MessageFactory();
    const all: Tracked[] = [];
    const send = async (tracked: Tracked) => {
      const { message } = tracked;
      if (message.channel === 'inapp' && !message.followUp) await openApp(tracked);
      const answer = await drivers.deliver(message);
      if (answer.ok) tracked.acceptedAt = performance.now();
    };
    const openApp = async (tracked: Tracked) => {
      const token = drivers.inappToken(tracked.message.contact);
      const socket = new WebSocket(`${platform.service('channel-inapp').url.replace(/^http/, 'ws')}/v1/ws?token=${encodeURIComponent(token)}`);
      sockets.add(socket);
      await new Promise<void>((done) => {
        socket.once('error', () => done());
        socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; id?: string };
          if (frame.type === 'ready') done();
          if (frame.type !== 'message') return;
          if (tracked.ackAt === undefined) tracked.ackAt = performance.now();
          socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
          setTimeout(() => {
            socket.close();
            sockets.delete(socket);
          }, 5_000);
        });
      });
    };

    for (const [stepIndex, rate] of rates.entries()) {
      say(`step ${stepIndex + 1}/${rates.length}: ${rate} msg/s for ${stepSeconds} s`);
      const sampler = new ProcessSampler(pids).start();
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const stepStart = Date.now();
      const inFlight = new Set<Promise<void>>();
      const total = Math.round(rate * stepSeconds);
      const t0 = performance.now();
      const openers = new Map<LoadChannel, Tracked[]>();
      for (let n = 0; n < total; n++) {
        const channel = LOAD_CHANNELS[n % LOAD_CHANNELS.length];
        const earlier = (openers.get(channel) ?? []).filter((t) => t.acceptedAt !== undefined);
        const message = earlier.length > 0 && Math.random() < FOLLOW_UP_SHARE ? factory.followUp(earlier[Math.floor(Math.random() * earlier.length)].message) : factory.opener(channel);
        const tracked: Tracked = { message, sentAt: performance.now(), step: stepIndex };
        all.push(tracked);
        byProviderId.set(message.providerMessageId.replace(/^<|>$/g, ''), tracked);
        if (!message.followUp) {
          openerByContact.set(`${channel}:${message.contact.toLowerCase()}`, tracked);
          openers.set(channel, [...(openers.get(channel) ?? []), tracked]);
        }
        const work = send(tracked);
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        const wait = t0 + ((n + 1) * 1000) / rate - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const loadEnd = Date.now();
      loopDelay.disable();
      const processes = sampler.stop();
      await Promise.race([Promise.all([...inFlight]), sleep(drainMs)]);
      const step = all.filter((t) => t.step === stepIndex);
      const deadline = Date.now() + drainMs;
      while (Date.now() < deadline && step.some((t) => t.acceptedAt !== undefined && (t.routedAt === undefined || (!t.message.followUp && t.ackAt === undefined)))) await sleep(200);
      const result = summarise(rate, stepSeconds, step, lag.samples, stepStart, loadEnd, processes);
      result.maxLagByGroup = Object.fromEntries(Object.entries(maxLagByGroup(lag.samples, stepStart, Date.now())).map(([g, n]) => [g.slice(g.lastIndexOf('.') + 1), n]));
      result.logEvents = countLogEvents(platform.logDir);
      result.bare = bareByRate.get(rate);
      result.generatorLoopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      result.emailHops = emailHops(step.filter((t) => t.message.channel === 'email' && !t.message.followUp && t.ackAt !== undefined));
      results.push(result);
      printStep(result);
      if (!values['keep-going'] && result.accepted < result.sent * 0.9) {
        say('  less than 90% of the messages were even accepted; higher rates would only say the same');
        break;
      }
    }
    clearInterval(ackPoll);
    lag.stop();
    if (lag.failures > 0) say(`lag samples that failed: ${lag.failures}`);

    const best = [...results].reverse().find((r) => r.sustained);
    const dir = resolve(__dirname, '../results');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const summary = { at: new Date().toISOString(), stepSeconds, agents: agents.length, criterion: `p99 acceptance-to-acknowledgement < ${P99_LIMIT_MS} ms and lag not growing`, bestSustainedRate: best?.offeredRate ?? null, steps: results, lag: lag.samples };
    writeFileSync(join(dir, `load-${stamp}.json`), JSON.stringify(summary, null, 2));
    writeFileSync(join(dir, `load-${stamp}.svg`), renderChart(results));
    writeFileSync(join(dir, 'load-latest.json'), JSON.stringify(summary, null, 2));
    writeFileSync(join(dir, 'load-latest.svg'), renderChart(results));
    printSummary(results, best);
    say(`results: ${join(dir, `load-${stamp}.json`)} and .svg`);
  } finally {
    for (const socket of sockets) socket.terminate();
    await Promise.allSettled([ticketsReader.disconnect(), outboundEmailReader.disconnect(), producer.disconnect(), admin.disconnect()]);
    await platform.stop();
    await Promise.allSettled([twilio.stop(), graph.stop(), mail.stop()]);
    await infra?.down(true);
  }
}

function safePid(get: () => number | undefined): number | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

function summarise(rate: number, seconds: number, step: Tracked[], samples: LagSampler['samples'], from: number, to: number, processes: StepResult['processes']): StepResult {
  const accepted = step.filter((t) => t.acceptedAt !== undefined);
  const routed = accepted.filter((t) => t.routedAt !== undefined);
  const acked = accepted.filter((t) => !t.message.followUp && t.ackAt !== undefined);
  const routedMs = (list: Tracked[]) => percentiles(list.map((t) => Math.max(0, (t.routedAt ?? 0) - (t.acceptedAt ?? 0))));
  const ackMs = (list: Tracked[]) => percentiles(list.map((t) => Math.max(0, (t.ackAt ?? 0) - (t.acceptedAt ?? 0))));
  const perChannel: StepResult['perChannel'] = {};
  for (const channel of LOAD_CHANNELS) {
    perChannel[channel] = {
      sent: step.filter((t) => t.message.channel === channel).length,
      routedMs: routedMs(routed.filter((t) => t.message.channel === channel)),
      ackMs: ackMs(acked.filter((t) => t.message.channel === channel)),
    };
  }
  const firstAccepted = Math.min(...accepted.map((t) => t.acceptedAt ?? Infinity));
  const lastRouted = Math.max(...routed.map((t) => t.routedAt ?? 0));
  const throughput = routed.length > 1 ? routed.length / ((lastRouted - firstAccepted) / 1000) : 0;
  const growing = lagGrowing(samples, from, to, rate);
  const maxLag = Math.max(0, ...samples.filter((s) => s.at >= from && s.at <= to).map((s) => Object.values(s.lag).reduce((a, b) => a + b, 0)));
  const ack = ackMs(acked);
  const openers = accepted.filter((t) => !t.message.followUp).length;
  const sustained = !growing && routed.length >= accepted.length * 0.99 && accepted.length >= step.length * 0.99 && acked.length >= openers * 0.99 && ack.p99 < P99_LIMIT_MS;
  return { offeredRate: rate, seconds, sent: step.length, accepted: accepted.length, routed: routed.length, acknowledged: acked.length, throughput, routedMs: routedMs(routed), ackMs: ack, perChannel, lagGrowing: growing, maxLag, maxLagByGroup: {}, logEvents: {}, sustained, processes };
}

const ms = (p: Percentiles) => (p.n === 0 ? '-' : `${p.p50.toFixed(0)}/${p.p95.toFixed(0)}/${p.p99.toFixed(0)}/${p.max.toFixed(0)}`);

function printStep(r: StepResult): void {
  say(`  sent ${r.sent}, accepted ${r.accepted}, routed ${r.routed}, acknowledged ${r.acknowledged}; throughput ${r.throughput.toFixed(1)} msg/s; max lag ${r.maxLag}${r.lagGrowing ? ' (growing)' : ''}`);
  say(`  accepted->routed p50/p95/p99/max ms ${ms(r.routedMs)}; accepted->acknowledged ${ms(r.ackMs)}`);
  for (const [channel, c] of Object.entries(r.perChannel)) say(`    ${channel.padEnd(7)} sent ${String(c.sent).padStart(5)}  routed ${ms(c.routedMs).padEnd(22)} acknowledged ${ms(c.ackMs)}`);
  say(`  largest lag by group (step and drain): ${Object.entries(r.maxLagByGroup).map(([g, n]) => `${g} ${n}`).join(', ')}`);
  const events = Object.entries(r.logEvents).filter(([, e]) => Object.values(e).some((n) => n > 0));
  if (events.length > 0) say(`  in the logs so far: ${events.map(([service, e]) => `${service} ${Object.entries(e).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(' ')}`).join('; ')}`);
  say(`  processes: ${Object.entries(r.processes).map(([name, p]) => `${name} ${p.cpuPercent}% ${p.rssMiB} MiB`).join(', ')}`);
  if (r.generatorLoopDelayMs) say(`  load generator's event loop delay p50/p99/max ms ${r.generatorLoopDelayMs.p50.toFixed(0)}/${r.generatorLoopDelayMs.p99.toFixed(0)}/${r.generatorLoopDelayMs.max.toFixed(0)}`);
  if (r.emailHops) for (const line of formatBreakdown(r.emailHops)) say(`    email ${line}`);
  if (r.bare) say(`  bare path: ${r.bare.completed}/${r.bare.sent}, ${r.bare.throughput.toFixed(1)} msg/s, p50/p95/p99/max ms ${ms(r.bare.latencyMs)}`);
}

function printSummary(results: StepResult[], best: StepResult | undefined): void {
  console.log('\noffered  throughput  routed p50/p99  ack p50/p99  lag      bare thr  bare p50/p99  thr ratio  sustained');
  for (const r of results) {
    const ratio = r.bare && r.bare.throughput > 0 ? (r.throughput / r.bare.throughput).toFixed(2) : '-';
    console.log(
      `${String(r.offeredRate).padStart(7)}  ${r.throughput.toFixed(1).padStart(10)}  ${`${r.routedMs.p50.toFixed(0)}/${r.routedMs.p99.toFixed(0)}`.padStart(14)}  ${`${r.ackMs.p50.toFixed(0)}/${r.ackMs.p99.toFixed(0)}`.padStart(11)}  ${`${r.maxLag}${r.lagGrowing ? '+' : ''}`.padStart(7)}  ${(r.bare?.throughput.toFixed(1) ?? '-').padStart(8)}  ${(r.bare ? `${r.bare.latencyMs.p50.toFixed(0)}/${r.bare.latencyMs.p99.toFixed(0)}` : '-').padStart(12)}  ${ratio.padStart(9)}  ${r.sustained ? 'yes' : 'no'}`,
    );
  }
  console.log(best ? `\nhighest sustained rate (p99 ack < ${P99_LIMIT_MS} ms, lag not growing): ${best.offeredRate} msg/s` : `\nno step met p99 ack < ${P99_LIMIT_MS} ms with non-growing lag`);
}

// Exits once done: a kafkajs connection left open by a client stopped mid-request kept the process
// (and a chain of sweeps after it) waiting forever after the results were written.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

