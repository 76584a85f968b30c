import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Command, commandSchema, inboundMessageSchema } from '@switchboard/contracts';
import { DEFAULT_WORKFLOW_YAML } from '@switchboard/routing';
import { eventually, ServiceProcess } from '@switchboard/testing';
import { usePlatform } from './use-platform';

interface StoredTicket {
  _id: string;
  number: number;
  category: string;
  queue: string;
  routingSeq?: number;
}

interface LogEntry {
  ticketId: string;
  seq: number;
  epoch: number;
  decision: { type: string; queue?: string; explanation: string[] };
}

/** The default workflow with refunds sent to a new queue, `refund-desk`. */
const REFUND_DESK = DEFAULT_WORKFLOW_YAML.replace(
  '  - { id: general, name: General }',
  "  - { id: general, name: General }\n  - { id: refund-desk, name: Refund desk, members: \"'refunds' in skills\", overflow: general }",
).replace(
  /- name: refund\n {4}when: category == 'refund'\n {4}targets:\n(?: {6}- .*\n)+/,
  "- name: refund\n    when: category == 'refund'\n    targets:\n      - { queue: refund-desk, priority: 45 }\n",
);
/** Two mistakes: an unknown queue and `=` for `==`. */
const BROKEN = REFUND_DESK.replace('{ queue: refund-desk, priority: 45 }', '{ queue: refund-dsk, priority: 45 }').replace("when: category == 'login'", "when: category = 'login'");

/**
 * The routing workflow changed live: two routers running, `workflow.set` commands on Kafka, no
 * restart. A broken workflow is refused with its problems and the old one keeps routing; a valid
 * one takes effect for the next ticket on every instance; a ticket already waiting keeps its
 * queue; after the lease holder is killed the other instance routes with the new version.
 */
describe('routing workflow edited live', () => {
  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier'], () => ({
    router: { ROUTER_LEASE_TTL_MS: '4000', ROUTER_POLL_MS: '100', ROUTER_WORKFLOW_POLL_MS: '300' },
  }));
  let db: Connection;
  let producer: Producer;
  const routers: ServiceProcess[] = [];

  beforeAll(async () => {
    db = database();
    routers.push(platform.service('router'), await platform.startExtra('router'));
    producer = new Kafka({ clientId: 'e2e-workflow-live', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
  });

  async function command(role: Command['actor']['role'], body: Command['command']): Promise<string> {
    const eventId = randomUUID();
    const event = commandSchema.parse({ schemaVersion: 1, eventId, actor: { id: `${role}-1`, role }, issuedAt: new Date().toISOString(), command: body });
    await producer.send({ topic: platform.topic('commands'), messages: [{ key: 'workflow', value: JSON.stringify(event) }] });
    return eventId;
  }

  let written = 0;
  /** A customer writes about a refund in the app; resolves to their ticket once it is stored. */
  async function refundTicket(): Promise<StoredTicket> {
    const n = ++written;
    const user = `wf-user-${n}`;
    const inbound = inboundMessageSchema.parse({
      schemaVersion: 1,
      eventId: `e2e-wf-${platform.runId}-${n}`,
      channel: 'inapp',
      provider: 'inapp',
      providerMessageId: `wf-${n}`,
      contact: { channel: 'inapp', address: user },
      contactKey: `inapp::${user}`,
      text: 'I requested a refund 5 days ago and the refund has not arrived yet',
      receivedAt: new Date().toISOString(),
    });
    await producer.send({ topic: platform.topic('inbound'), messages: [{ key: inbound.contactKey, value: JSON.stringify(inbound) }] });
    return eventually(async () => (await db.collection<StoredTicket>('tickets').findOne({ contactKey: inbound.contactKey })) ?? undefined, 60_000, `ticket ${n} not stored`);
  }

  /** The queue the lease holder's engine put the ticket in (its `waiting` entry), and the lease term that decided. */
  async function engineQueue(ticketId: string): Promise<{ queue: string; epoch: number }> {
    return eventually(
      async () => {
        const entries = await db.collection<LogEntry>('routing_log').find({ ticketId, 'decision.type': 'waiting' }).sort({ seq: -1 }).limit(1).toArray();
        return entries[0]?.decision.queue ? { queue: entries[0].decision.queue, epoch: entries[0].epoch } : undefined;
      },
      60_000,
      `ticket ${ticketId} was not routed`,
    );
  }

  async function workflowAt(router: ServiceProcess): Promise<{ version: number; inUseHere: number; origin: string; author: { id: string } }> {
    const response = await fetch(`${router.url}/routing/workflow`);
    expect(response.status).toBe(200);
    return (await response.json()) as never;
  }

  async function leaseHolder(): Promise<{ epoch: number; process: ServiceProcess } | undefined> {
    const [term] = await db.collection('router_leases').find({ name: 'assignment' }).sort({ epoch: -1 }).limit(1).toArray();
    if (!term || new Date(term.expiresAt).getTime() < Date.now()) return undefined;
    const process = routers.find((p) => String(term.holder).includes(`-${p.pid}-`));
    return process ? { epoch: term.epoch as number, process } : undefined;
  }

  it('refuses a broken workflow, applies a valid one without restart, and keeps it across a takeover', async () => {
    // Seeded from the checked-in YAML on first start.
    const seeded = await eventually(async () => ((await workflowAt(routers[0])).version === 1 ? workflowAt(routers[0]) : undefined), 30_000, 'no workflow seeded');
    expect(seeded).toMatchObject({ version: 1, origin: 'seed', inUseHere: 1 });
    await eventually(leaseHolder, 30_000, 'no router took the assignment lease');

    // Refused: the broken one (every problem listed, with its path), and a valid one from an agent.
    const broken = await command('supervisor', { type: 'workflow.set', source: BROKEN });
    const byAgent = await command('agent', { type: 'workflow.set', source: REFUND_DESK });
    const rejections = await eventually(
      async () => {
        const body = (await (await fetch(`${routers[1].url}/routing/workflow/versions`)).json()) as { current: number; rejected: { commandId: string; errors: { path: string; message: string }[] }[] };
        return body.rejected.length >= 2 ? body : undefined;
      },
      30_000,
      'the refusals are not visible',
    );
    expect(rejections.current).toBe(1);
    const brokenErrors = rejections.rejected.find((r) => r.commandId === broken)?.errors ?? [];
    expect(brokenErrors).toEqual(
      expect.arrayContaining([
        { path: 'filters[4].targets[0].queue', message: expect.stringContaining("unknown queue 'refund-dsk'") },
        { path: 'filters[2].when', message: expect.stringMatching(/column \d+/) },
      ]),
    );
    expect(rejections.rejected.find((r) => r.commandId === byAgent)?.errors[0].message).toMatch(/may not change the routing workflow/);

    // The old workflow still routes: a refund goes to `refunds`.
    const before = await refundTicket();
    expect(before).toMatchObject({ category: 'refund', queue: 'refunds' });
    expect((await engineQueue(before._id)).queue).toBe('refunds');

    // A valid workflow from a supervisor: version 2 on both instances, no restart.
    await command('supervisor', { type: 'workflow.set', source: REFUND_DESK });
    for (const router of routers) {
      await eventually(async () => ((await workflowAt(router)).inUseHere === 2 ? true : undefined), 30_000, `router ${router.pid} did not pick up version 2`);
    }
    expect(await workflowAt(routers[0])).toMatchObject({ version: 2, origin: 'command', author: { id: 'supervisor-1' } });

    const after = await refundTicket();
    expect(after.queue).toBe('refund-desk');
    expect((await engineQueue(after._id)).queue).toBe('refund-desk');
    // The ticket already waiting kept its place in `refunds`.
    expect((await db.collection<StoredTicket>('tickets').findOne({ _id: before._id }))?.queue).toBe('refunds');

    // The lease holder dies: the other instance takes over and routes with version 2.
    const holder = await eventually(leaseHolder, 30_000, 'no lease holder');
    await holder.process.kill();
    const [survivor] = routers.filter((p) => p !== holder.process);
    const takeover = await eventually(async () => ((await leaseHolder())?.process === survivor ? leaseHolder() : undefined), 30_000, 'the other router did not take over');
    expect(takeover?.epoch).toBeGreaterThan(holder.epoch);

    const third = await refundTicket();
    const routed = await engineQueue(third._id);
    expect(routed).toEqual({ queue: 'refund-desk', epoch: takeover?.epoch });
    expect((await db.collection<StoredTicket>('tickets').findOne({ _id: before._id }))?.queue).toBe('refunds');
    expect(await workflowAt(survivor)).toMatchObject({ version: 2, inUseHere: 2 });
  });
});
