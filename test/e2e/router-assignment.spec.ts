import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Command, commandSchema, inboundMessageSchema, TicketEvent, ticketEventSchema } from '@switchboard/contracts';
import { eventually, ServiceProcess, TopicReader } from '@switchboard/testing';
import { usePlatform } from './use-platform';

/** What the test reads of a stored ticket. */
interface StoredTicket {
  _id: string;
  number: number;
  status: string;
  queue: string;
  assignment?: { agentId: string; state: 'offered' | 'assigned' };
  queuePosition?: number;
  routing?: { reason?: string; decisions?: { type: string }[] };
}

interface LogEntry {
  _id: string;
  ticketId: string;
  seq: number;
  assignment: { agentId: string; state: string } | null;
}

const AGENTS = ['ana', 'bo', 'cy', 'dee', 'eve'];
const CHAT_CAPACITY = 3;
const MESSAGES = 40;
/** Sent while the next lease holder is stalled (SIGSTOP) and deposed. */
const MORE = 10;
const TOTAL = MESSAGES + MORE;
const TEXTS = [
  'Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min',
  'I cannot log in, the OTP never arrives',
  'refund belum masuk sudah 5 hari',
  'someone logged into my account and took my money, please freeze it',
  'payment to the merchant failed but my balance was deducted',
  'lupa PIN, akun terkunci',
];

/**
 * Two routers on one consumer group against the real broker and database, a stream of arrivals,
 * agents answering offers over Kafka, the lease-holding router killed mid-stream (SIGKILL), then
 * the next holder stalled (SIGSTOP) until a third instance took over, and woken up.
 */
describe('router assignment with two instances', () => {
  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier'], () => ({
    router: { ROUTER_LEASE_TTL_MS: '5000', ROUTER_POLL_MS: '100' },
  }));
  let db: Connection;
  let tickets: TopicReader;
  let acknowledgements: TopicReader;
  let producer: Producer;
  const routers: ServiceProcess[] = [];
  let agentBot: NodeJS.Timeout | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const overCapacity: string[] = [];

  beforeAll(async () => {
    db = database();
    routers.push(platform.service('router'), await platform.startExtra('router'));
    tickets = await new TopicReader(platform.infra.kafkaBrokers, platform.topic('tickets')).start();
    acknowledgements = await new TopicReader(platform.infra.kafkaBrokers, platform.topic('outbound.inapp')).start();
    producer = new Kafka({ clientId: 'e2e-router-assignment', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    clearInterval(agentBot);
    clearInterval(sampler);
    await producer?.disconnect();
    await tickets?.stop();
    await acknowledgements?.stop();
  });

  const parsed: TicketEvent[] = [];
  const ticketEvents = (): TicketEvent[] => {
    for (let i = parsed.length; i < tickets.records.length; i++) parsed.push(ticketEventSchema.parse(JSON.parse(tickets.records[i].value ?? 'null')));
    return parsed;
  };

  async function command(actor: string, body: Command['command']): Promise<void> {
    const event = commandSchema.parse({ schemaVersion: 1, eventId: randomUUID(), actor: { id: actor, role: 'agent' }, issuedAt: new Date().toISOString(), command: body });
    await producer.send({ topic: platform.topic('commands'), messages: [{ key: 'ticketId' in body ? body.ticketId : actor, value: JSON.stringify(event) }] });
  }

  async function customerWrites(n: number): Promise<void> {
    const user = `rt-user-${n}`;
    const inbound = inboundMessageSchema.parse({
      schemaVersion: 1,
      eventId: `e2e-rt-${platform.runId}-${n}`,
      channel: 'inapp',
      provider: 'inapp',
      providerMessageId: `m-${n}`,
      contact: { channel: 'inapp', address: user },
      contactKey: `inapp::${user}`,
      text: TEXTS[n % TEXTS.length],
      receivedAt: new Date().toISOString(),
    });
    await producer.send({ topic: platform.topic('inbound'), messages: [{ key: inbound.contactKey, value: JSON.stringify(inbound) }] });
  }

  /** Which router process holds the latest lease term (its holder id carries the pid). */
  async function leaseHolder(): Promise<{ epoch: number; process: ServiceProcess } | undefined> {
    const [term] = await db.collection('router_leases').find({ name: 'assignment' }).sort({ epoch: -1 }).limit(1).toArray();
    if (!term || new Date(term.expiresAt).getTime() < Date.now()) return undefined;
    const process = routers.find((p) => String(term.holder).includes(`-${p.pid}-`));
    return process ? { epoch: term.epoch as number, process } : undefined;
  }

  it('never assigns a ticket twice nor an agent over capacity, and loses nothing when the lease holder is killed or stalls', async () => {
    for (const agent of AGENTS) {
      await command(agent, { type: 'agent.upsert', agent: { id: agent, displayName: agent.toUpperCase(), skills: ['trust-and-safety', 'account-access', 'payments', 'refunds'], languages: ['id', 'en', 'zh'], teams: [], level: 2, presence: 'available' } });
    }
    await eventually(async () => (await db.collection('agents').countDocuments({ presence: 'available' })) === AGENTS.length || undefined, 30_000, 'agents not registered');

    // Agents answer every offer over Kafka: every fifth offer is turned down once, a third of the assigned tickets get resolved.
    const answered = new Set<string>();
    const turnedDown = new Set<string>();
    const resolving = new Set<string>();
    agentBot = setInterval(() => {
      for (const event of ticketEvents()) {
        const agent = event.routing?.agentId;
        if (!agent) continue;
        if (event.type === 'ticket.offered' && !answered.has(event.eventId)) {
          answered.add(event.eventId);
          const reject = event.ticket.number % 5 === 0 && !turnedDown.has(event.ticket.id);
          if (reject) turnedDown.add(event.ticket.id);
          void command(agent, reject ? { type: 'ticket.reject', ticketId: event.ticket.id, agentId: agent, reason: 'busy' } : { type: 'ticket.accept', ticketId: event.ticket.id, agentId: agent });
        }
        if (event.type === 'ticket.assigned' && event.ticket.number % 3 === 0 && !resolving.has(event.ticket.id)) {
          resolving.add(event.ticket.id);
          setTimeout(() => void command(agent, { type: 'ticket.resolve', ticketId: event.ticket.id }), 500);
        }
      }
    }, 100);
    // The routing log is the truth (the tickets carry a copy): per ticket its last entry says who holds it.
    sampler = setInterval(async () => {
      const entries = await db
        .collection<LogEntry>('routing_log')
        .find({})
        .toArray()
        .catch(() => []);
      const last = new Map<string, LogEntry>();
      for (const e of entries) if ((last.get(e.ticketId)?.seq ?? 0) < e.seq) last.set(e.ticketId, e);
      const load = new Map<string, number>();
      for (const { assignment } of last.values()) if (assignment) load.set(assignment.agentId, (load.get(assignment.agentId) ?? 0) + 1);
      for (const [agent, n] of load) if (n > CHAT_CAPACITY) overCapacity.push(`${agent} held ${n} at ${new Date().toISOString()}`);
    }, 200);

    const first = await eventually(leaseHolder, 30_000, 'no router took the assignment lease');
    let killed: { epoch: number; process: ServiceProcess } | undefined;
    for (let n = 1; n <= MESSAGES; n++) {
      await customerWrites(n);
      await new Promise((r) => setTimeout(r, 150));
      if (n === MESSAGES / 2) {
        await eventually(async () => ((await db.collection('routing_log').countDocuments({ 'decision.type': 'assigned' })) > 3 ? true : undefined), 60_000, 'nothing assigned before the crash');
        killed = await leaseHolder();
        if (!killed) throw new Error('no router holds the lease mid-stream');
        await killed.process.kill();
      }
    }
    if (!killed) throw new Error('the lease holder was not killed');
    const crashed = killed;
    const [survivor] = routers.filter((p) => p !== crashed.process);
    const takeover = await eventually(async () => ((await leaseHolder())?.process === survivor ? leaseHolder() : undefined), 30_000, 'the other router did not take over');
    expect(takeover?.epoch).toBeGreaterThan(crashed.epoch);

    // The next holder stalls (SIGSTOP) long enough to be deposed, and wakes up with its engine's view out of date.
    const third = await platform.startExtra('router', 'router-3');
    routers.push(third);
    const stalled = takeover as { epoch: number; process: ServiceProcess };
    const stalledPid = stalled.process.pid as number;
    process.kill(stalledPid, 'SIGSTOP');
    try {
      const next = await eventually(async () => ((await leaseHolder())?.process === third ? leaseHolder() : undefined), 30_000, 'nobody took over from the stalled holder');
      expect(next?.epoch).toBeGreaterThan(stalled.epoch);
      for (let n = MESSAGES + 1; n <= TOTAL; n++) {
        await customerWrites(n);
        await new Promise((r) => setTimeout(r, 150));
      }
    } finally {
      process.kill(stalledPid, 'SIGCONT');
    }

    // Settled: all tickets there, no offer left open, each assigned, resolved, or waiting with a reason.
    const isSettled = (t: StoredTicket) =>
      t.status === 'resolved' || t.assignment?.state === 'assigned' || (!t.assignment && typeof t.routing?.reason === 'string' && (t.queuePosition ?? 0) >= 1);
    let last: StoredTicket[] = [];
    const settled = await eventually(
      async () => {
        last = await db.collection<StoredTicket>('tickets').find({ contactKey: /^inapp::rt-user-/ }).toArray();
        return last.length >= TOTAL && last.every(isSettled) ? last : undefined;
      },
      180_000,
      'tickets did not settle',
    ).catch((error: Error) => {
      const open = last.filter((t) => !isSettled(t)).map((t) => ({ number: t.number, status: t.status, queue: t.queue, assignment: t.assignment, reason: t.routing?.reason, queuePosition: t.queuePosition, decisions: t.routing?.decisions?.map((d) => d.type) }));
      throw new Error(`${error.message}: ${last.length} tickets, unsettled ${JSON.stringify(open, null, 1)}`);
    });
    clearInterval(agentBot);
    clearInterval(sampler);

    // Whoever holds the lease now (the stalled one may have won it back since), it is a live router.
    const after = await eventually(leaseHolder, 30_000, 'nobody holds the lease at the end');
    expect(after.process).not.toBe(crashed.process);
    expect(after.epoch).toBeGreaterThanOrEqual(3);
    expect(first.epoch).toBeLessThanOrEqual(crashed.epoch);

    // No ticket ever with two agents: replay every ticket's published assignment history in order.
    const byTicket = new Map<string, TicketEvent[]>();
    const seen = new Set<string>();
    for (const event of ticketEvents()) {
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      byTicket.set(event.ticket.id, [...(byTicket.get(event.ticket.id) ?? []), event]);
    }
    let assignments = 0;
    for (const [ticketId, events] of byTicket) {
      let holder: string | undefined;
      for (const event of events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) {
        if (event.type === 'ticket.assigned') {
          expect({ ticketId, holder }).toEqual({ ticketId, holder: undefined });
          holder = event.routing?.agentId;
          assignments++;
        }
        if (event.type === 'ticket.unassigned' || event.type === 'ticket.resolved') holder = undefined;
      }
    }
    // Not every slot need be filled at the end: offers the stalled router's partitions held back time out, and agents who miss two go away.
    expect(assignments).toBeGreaterThan(0);
    // The routing log agrees: per ticket, entries numbered 1..n without gaps, an assignment only from nobody or an offer to that agent.
    for (const ticket of settled) {
      const log = await db.collection<LogEntry>('routing_log').find({ ticketId: ticket._id }).sort({ seq: 1 }).toArray();
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      let previous: { agentId: string; state: string } | null = null;
      for (const entry of log) {
        if (entry.assignment?.state === 'assigned' && previous?.state !== 'assigned') expect(previous === null || previous.agentId === entry.assignment.agentId).toBe(true);
        if (entry.assignment?.state === 'assigned' && previous?.state === 'assigned') expect(previous.agentId).toBe(entry.assignment.agentId);
        previous = entry.assignment;
      }
    }
    expect(overCapacity).toEqual([]);
    const final = new Map<string, number>();
    for (const t of settled) {
      // The ticket's copy catches up with its log (the holder may still be deciding: offers time out, slots free up).
      const latest = await eventually(
        async () => {
          const [entry] = await db.collection<LogEntry>('routing_log').find({ ticketId: t._id }).sort({ seq: -1 }).limit(1).toArray();
          const copy = await db.collection<StoredTicket>('tickets').findOne({ _id: t._id });
          return copy?.assignment?.agentId === entry?.assignment?.agentId ? { entry } : undefined;
        },
        20_000,
        `ticket ${t.number}'s copy does not follow its routing log`,
      );
      if (latest.entry?.assignment) final.set(latest.entry.assignment.agentId, (final.get(latest.entry.assignment.agentId) ?? 0) + 1);
    }
    for (const n of final.values()) expect(n).toBeLessThanOrEqual(CHAT_CAPACITY);

    // Nothing lost across the crash: every message became a ticket the notifier acknowledged.
    const opened = new Set(ticketEvents().filter((e) => e.type === 'ticket.opened').map((e) => e.ticket.id));
    expect(settled.every((t) => opened.has(t._id))).toBe(true);
    await eventually(() => (new Set(acknowledgements.records.map((r) => JSON.parse(r.value ?? '{}').ticketId)).size >= TOTAL ? true : undefined), 60_000, 'acknowledgements missing');

    // Waiting tickets were told their place; every decision is explained and queryable.
    const waiting = ticketEvents().filter((e) => e.type === 'ticket.waiting');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((e) => (e.routing?.queuePosition ?? 0) >= 1 && (e.routing?.reason ?? '').length > 0)).toBe(true);
    const assigned = settled.find((t) => t.assignment?.state === 'assigned');
    if (!assigned?.assignment) throw new Error('no ticket assigned at the end');
    const explanation = (await (await fetch(`${after.process.url}/routing/tickets/${assigned._id}/explanation`)).json()) as { assignment: unknown; decisions: { type: string; explanation: string[] }[] };
    expect(explanation.assignment).toMatchObject({ state: 'assigned', agentId: assigned.assignment.agentId });
    expect(explanation.decisions.find((d) => d.type === 'assigned')?.explanation.length).toBeGreaterThan(0);

    // The customer is told who has their ticket, by the agent's display name.
    const name = String(assigned.assignment.agentId).toUpperCase();
    await eventually(
      () => acknowledgements.records.map((r) => JSON.parse(r.value ?? '{}')).find((m) => m.kind === 'assigned' && m.ticketId === assigned._id && String(m.text).includes(name)),
      60_000,
      `no assigned message naming ${name}`,
    );
  }, 420_000);
});
