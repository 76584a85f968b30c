// Routing engine throughput and latency at scale: 1,000 agents, 50 queues, 100,000 waiting tickets,
// then a mix of resolutions (each frees a slot the head of a matching queue takes at once), accepts,
// rejects, arrivals, presence changes and transfers; and the simulator over a generated day of
// 100,000 tickets. No jest, no infrastructure: `npm run bench:routing [-- events]`.
import { performance } from 'node:perf_hooks';
import { CATEGORIES, Channel, Language } from '@switchboard/contracts';
import { AgentProfile, DEFAULT_WORKFLOW_YAML, Decision, generateDay, parseWorkflow, RoutingEngine, RoutingEvent, seededRandom, simulate, TicketAttributes } from '@switchboard/routing';

const AGENTS = 1_000;
const QUEUES = 50;
const WAITING = 100_000;
const EVENTS = Number(process.argv[2] ?? 50_000);
const LANGUAGES: Language[] = ['en', 'id', 'zh'];
const CHANNELS: Channel[] = ['inapp', 'email', 'sms', 'social'];

function benchWorkflowYaml(): string {
  const q = (i: number) => `q${String(i).padStart(2, '0')}`;
  const queues = Array.from({ length: QUEUES }, (_, i) => `  - { id: ${q(i)}, name: Queue ${i}, members: "'${q(i)}' in skills", ${i % 2 ? 'autoAccept: true' : 'offerTimeoutSeconds: 30'}${i % 5 === 0 ? ', order: age' : ''}${i % 3 === 0 ? ', agentChoice: longest-idle' : ''} }`);
  // One filter per category × language × channel until 49 queues have one; the rest go to the default queue.
  const filters: string[] = [];
  for (const category of CATEGORIES) {
    for (const language of LANGUAGES) {
      for (const channel of CHANNELS) {
        if (filters.length >= QUEUES - 1) continue;
        const i = filters.length;
        filters.push(
          `  - name: f${i}\n    when: "category == '${category}' and language == '${language}' and channel == '${channel}'"\n    targets:\n      - { queue: ${q(i)}, priority: ${10 + (i % 7) * 10}, worker: "ticket.language in languages and level >= 2", timeoutSeconds: 7200 }\n      - { queue: ${q(i)}, priority: ${10 + (i % 7) * 10} }`,
        );
      }
    }
  }
  return [
    'version: 1',
    'urgencyBoost: 20',
    'queues:',
    ...queues,
    'filters:',
    ...filters,
    `default: { name: rest, targets: [{ queue: ${q(QUEUES - 1)}, priority: 5 }] }`,
    'sla:',
    "  - { name: security, when: \"category == 'account_security'\", firstResponseSeconds: 14400, resolutionSeconds: 86400, onBreach: [{ action: alert-supervisors }] }",
    '  - { name: standard, firstResponseSeconds: 28800, resolutionSeconds: 172800, onBreach: [{ action: raise-priority, by: 10 }] }',
    '',
  ].join('\n');
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Ticket ids by state, with O(1) random pick and removal. */
class Pool {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  get size(): number {
    return this.ids.length;
  }
  add(id: string): void {
    if (!this.index.has(id)) this.index.set(id, this.ids.push(id) - 1);
  }
  delete(id: string): void {
    const at = this.index.get(id);
    if (at === undefined) return;
    const last = this.ids.pop() as string;
    if (last !== id) {
      this.ids[at] = last;
      this.index.set(last, at);
    }
    this.index.delete(id);
  }
  pick(random: () => number): string | undefined {
    return this.ids.length ? this.ids[Math.floor(random() * this.ids.length)] : undefined;
  }
}

function main(): void {
  // The simulator first, on a fresh heap; the engine benchmark leaves ~0.5 GB behind.
  benchSimulator();
  (globalThis as { gc?: () => void }).gc?.();
  benchEngine();
}

function benchEngine(): void {
  const random = seededRandom(42);
  const workflow = parseWorkflow(benchWorkflowYaml());
  const engine = new RoutingEngine(workflow);
  const offered = new Map<string, string>();
  const offeredPool = new Pool();
  const assigned = new Pool();
  const away: string[] = [];
  let now = Date.UTC(2026, 10, 24, 8);
  let seq = 0;
  const track = (decisions: Decision[]) => {
    for (const d of decisions) {
      if (d.type === 'offered') {
        offered.set(d.ticketId, d.agentId);
        offeredPool.add(d.ticketId);
      } else if (d.type === 'assigned') {
        offered.delete(d.ticketId);
        offeredPool.delete(d.ticketId);
        assigned.add(d.ticketId);
      } else if (d.type === 'offerWithdrawn') {
        offered.delete(d.ticketId);
        offeredPool.delete(d.ticketId);
      } else if (d.type === 'unassigned' || d.type === 'resolved') assigned.delete(d.ticketId);
    }
  };
  const ticket = (): TicketAttributes => ({
    category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
    confidence: 0.9,
    language: LANGUAGES[Math.floor(random() * LANGUAGES.length)],
    channel: CHANNELS[Math.floor(random() * CHANNELS.length)],
    urgency: random() < 0.1 ? ['money_lost'] : [],
  });

  // Setup: agents with skills for a few queues each, then arrivals (offers accepted at once) until 100,000 wait.
  const setupStart = performance.now();
  for (let i = 0; i < AGENTS; i++) {
    const skills = Array.from({ length: 5 }, (_, j) => `q${String((i * 7 + j * 11) % QUEUES).padStart(2, '0')}`);
    const agent: AgentProfile = { id: `a${i}`, skills, languages: random() < 0.7 ? ['en', 'id'] : ['en', 'id', 'zh'], level: 1 + (i % 3), presence: 'available' };
    track(engine.apply({ type: 'agent', agent }, now));
  }
  let waiting = 0;
  let arrivals = 0;
  while (waiting < WAITING) {
    now += 1;
    const id = `t${seq++}`;
    arrivals++;
    track(engine.apply({ type: 'arrival', ticketId: id, attributes: ticket() }, now));
    if (offered.has(id)) track(engine.apply({ type: 'accept', ticketId: id, agentId: offered.get(id) as string }, now));
    if (engine.ticket(id)?.status === 'waiting') waiting++;
  }
  const setupMs = performance.now() - setupStart;
  const slots = [...engine.allAgents()].reduce((s, a) => s + a.load.email + a.load.chat + a.load.sms + a.load.social, 0);

  // Measured: a mix of what a busy floor sends the router.
  const latencies = new Float64Array(EVENTS);
  let decisions = 0;
  const counts: Record<string, number> = {};
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    now += 10;
    const r = random();
    let event: RoutingEvent | undefined;
    if (r < 0.35) {
      const id = assigned.pick(random);
      if (id) event = { type: 'resolve', ticketId: id };
    } else if (r < 0.6) {
      const id = offeredPool.pick(random);
      if (id) event = { type: 'accept', ticketId: id, agentId: offered.get(id) as string };
    } else if (r < 0.65) {
      const id = offeredPool.pick(random);
      if (id) event = { type: 'reject', ticketId: id, agentId: offered.get(id) as string };
    } else if (r < 0.68) {
      if (away.length && random() < 0.5) event = { type: 'presence', agentId: away.shift() as string, presence: 'available' };
      else {
        const agentId = `a${Math.floor(random() * AGENTS)}`;
        away.push(agentId);
        event = { type: 'presence', agentId, presence: 'away' };
      }
    } else if (r < 0.7) {
      const id = assigned.pick(random);
      if (id) event = { type: 'transfer', ticketId: id, to: { kind: 'queue', queue: `q${String(Math.floor(random() * QUEUES)).padStart(2, '0')}` } };
    }
    event ??= { type: 'arrival', ticketId: `t${seq++}`, attributes: ticket() };
    counts[event.type] = (counts[event.type] ?? 0) + 1;
    const t0 = performance.now();
    const out = engine.apply(event, now);
    latencies[i] = performance.now() - t0;
    decisions += out.length;
    track(out);
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort();
  let stillWaiting = 0;
  for (const t of engine.allTickets()) if (t.status === 'waiting') stillWaiting++;
  const heapMb = process.memoryUsage().heapUsed / 1e6;

  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`routing engine: ${AGENTS} agents, ${QUEUES} queues, ${WAITING} waiting tickets (${arrivals} arrivals, ${slots} conversations held) set up in ${(setupMs / 1000).toFixed(1)} s`);
  out(`  ${EVENTS} events (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}) → ${decisions} decisions in ${elapsed.toFixed(2)} s`);
  out(`  ${Math.round(decisions / elapsed)} decisions/s, ${Math.round(EVENTS / elapsed)} events/s (target ≥ 5,000 decisions/s)`);
  out(`  latency per event: p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms, max ${percentile(latencies, 100).toFixed(1)} ms (target p99 ≤ 5 ms)`);
  out(`  ${stillWaiting} tickets waiting at the end; heap ${heapMb.toFixed(0)} MB`);
}

function benchSimulator(): void {
  const out = (s: string) => process.stdout.write(`${s}\n`);

  // The simulator over a generated day of 100,000 tickets with the default workflow.
  const genStart = performance.now();
  const day = generateDay({ tickets: 100_000, seed: 1 });
  const simStart = performance.now();
  const report = simulate(parseWorkflow(DEFAULT_WORKFLOW_YAML), day);
  const simSeconds = (performance.now() - simStart) / 1000;
  out(`simulator: ${report.tickets} tickets, ${day.agents.length} agents, ${report.events} events in ${simSeconds.toFixed(2)} s (+${((simStart - genStart) / 1000).toFixed(2)} s generating; target < 10 s)`);
  out(`  wait p50 ${report.wait.p50} s, p90 ${report.wait.p90} s; first-response SLA ${(report.firstResponse.attainment * 100).toFixed(1)}%, resolution SLA ${(report.resolution.attainment * 100).toFixed(1)}%; occupancy ${(report.agents.occupancy * 100).toFixed(1)}%`);
}

main();
