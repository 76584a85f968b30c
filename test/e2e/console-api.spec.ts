import { Connection } from 'mongoose';
import WebSocket from 'ws';
import { Command, commandSchema } from '@switchboard/contracts';
import { eventually } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform, useTopicReader } from './use-platform';

const PASSWORD = 'e2e-console-password';
const JWT_SECRET = 'e2e-console-jwt-secret-0123456789abcdef';
const XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>';

interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; role: string; agentId?: string; queues: string[] };
}

interface Frame {
  type: string;
  ticketId?: string;
  event?: { ticketId: string; type: string; queue: string };
}

/** A console user's live socket, keeping every frame. */
class LiveSocket {
  readonly frames: Frame[] = [];
  private ws?: WebSocket;

  async open(baseUrl: string, token: string): Promise<this> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/live?access_token=${token}`);
    this.ws = ws;
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    await new Promise<void>((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', fail);
    });
    await eventually(() => this.frames.find((f) => f.type === 'ready'), 10_000, 'no ready frame');
    return this;
  }

  ticketIds(): Set<string> {
    return new Set(this.frames.flatMap((f) => [f.ticketId, f.event?.ticketId]).filter((id): id is string => typeof id === 'string'));
  }

  close(): void {
    this.ws?.close();
  }
}

/**
 * The console API against the real platform: sign-in per role, scoping of tickets and live events
 * by queue, an agent accepting an offer and replying through the API (commands on Kafka), a
 * supervisor's transfer, the audit log, and customer text returned as plain JSON.
 */
describe('console API', () => {
  const { platform, db: database } = usePlatform(['channel-inapp', 'classifier', 'router', 'notifier', 'console'], () => ({
    console: { CONSOLE_JWT_SECRET: JWT_SECRET, CONSOLE_DEMO_USERS: 'true', CONSOLE_DEMO_PASSWORD: PASSWORD, CONSOLE_LOGIN_MAX_FAILURES: '5' },
  }));
  const commands = useTopicReader(platform, 'commands');
  let db: Connection;
  const sockets: LiveSocket[] = [];
  const sessions: Record<'agent' | 'supervisor' | 'admin', Session> = {} as never;

  const api = () => platform.service('console').url;

  async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
    const response = await fetch(`${api()}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, type: response.headers.get('content-type') ?? '' };
  }

  const login = (email: string, password = PASSWORD) => call('POST', '/api/auth/login', undefined, { email, password });

  function command(commandId: string): Command | undefined {
    const record = commands.records.find((r) => r.value?.includes(commandId));
    return record ? commandSchema.parse(JSON.parse(record.value ?? 'null')) : undefined;
  }

  /** The command the API answered 202 for, once the reader has it from Kafka. */
  const published = (commandId: unknown) => eventually(() => command(String(commandId)), 15_000, `command ${String(commandId)} not on Kafka`);

  beforeAll(() => {
    db = database();
  });

  afterAll(() => sockets.forEach((s) => s.close()));

  it('signs in each role, refuses a wrong password, a forged token and unknown fields, and rotates refresh tokens', async () => {
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      const response = await login(`${role}@example.com`);
      expect(response.status).toBe(200);
      sessions[role] = response.body as unknown as Session;
      expect(sessions[role].user.role).toBe(role);
      const me = await call('GET', '/api/me', sessions[role].accessToken);
      expect(me.body).toMatchObject({ email: `${role}@example.com`, role });
    }
    expect(sessions.agent.user).toMatchObject({ agentId: 'agent-putri', queues: expect.arrayContaining(['account-access']) });

    const wrong = await login('agent@example.com', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

    const [header, payload] = sessions.agent.accessToken.split('.');
    const promoted = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect((await call('GET', '/api/agents', `${header}.${promoted}.${sessions.agent.accessToken.split('.')[2]}`)).status).toBe(401);
    expect((await call('GET', '/api/tickets')).status).toBe(401);

    const unknownField = await call('POST', '/api/auth/login', undefined, { email: 'agent@example.com', password: PASSWORD, admin: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({ error: { code: 'validation_failed', details: [expect.objectContaining({ message: expect.stringContaining('admin') })] } });
    const huge = await call('POST', '/api/auth/login', undefined, { email: 'agent@example.com', password: 'x'.repeat(400_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: { code: 'payload_too_large' } });

    // A refresh token works once; using the spent one again closes the whole sign-in.
    const second = await login('agent@example.com');
    const refreshed = await call('POST', '/api/auth/refresh', undefined, { refreshToken: (second.body as unknown as Session).refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await call('POST', '/api/auth/refresh', undefined, { refreshToken: (second.body as unknown as Session).refreshToken })).status).toBe(401);
    expect((await call('POST', '/api/auth/refresh', undefined, { refreshToken: (refreshed.body as unknown as Session).refreshToken })).status).toBe(401);

    // The service is still serving after all that.
    expect((await call('GET', '/api/me', sessions.agent.accessToken)).status).toBe(200);
  });

  let loginTicket: string;
  let securityTicket: string;

  it('scopes tickets and live events: the agent sees its queues, gets an offer, accepts and replies through commands', async () => {
    const agentLive = await new LiveSocket().open(api(), sessions.agent.accessToken);
    const supervisorLive = await new LiveSocket().open(api(), sessions.supervisor.accessToken);
    sockets.push(agentLive, supervisorLive);

    const presence = await call('POST', '/api/me/presence', sessions.agent.accessToken, { presence: 'available' });
    expect(presence.status).toBe(202);
    expect((await published(presence.body.commandId)).command).toEqual({ type: 'agent.presence', agentId: 'agent-putri', presence: 'available' });

    const sari = new Customer(platform, 'console-sari');
    const hacked = new Customer(platform, 'console-hacked');
    expect((await sari.send(`I cannot log in, the OTP never arrives ${XSS}`)).status).toBe(202);
    expect((await hacked.send('someone logged into my account and took my money, please freeze it')).status).toBe(202);
    const [sariTicket, hackedTicket] = await Promise.all(
      ['inapp::console-sari', 'inapp::console-hacked'].map((contactKey) => eventually(async () => (await db.collection('tickets').findOne({ contactKey })) ?? undefined, 30_000, `no ticket for ${contactKey}`)),
    );
    loginTicket = String(sariTicket._id);
    securityTicket = String(hackedTicket._id);
    expect(sariTicket.queue).toBe('account-access');
    expect(hackedTicket.queue).toBe('trust-and-safety');

    // The offer reaches the agent's socket; the agent accepts through the API.
    await eventually(() => agentLive.frames.find((f) => f.type === 'offer' && f.ticketId === loginTicket), 60_000, 'no offer on the agent socket');
    const accepted = await call('POST', `/api/tickets/${loginTicket}/accept`, sessions.agent.accessToken);
    expect(accepted.status).toBe(202);
    expect(await published(accepted.body.commandId)).toMatchObject({ actor: { id: 'agent-putri', role: 'agent' }, command: { type: 'ticket.accept', ticketId: loginTicket, agentId: 'agent-putri' } });
    await eventually(async () => (await db.collection('tickets').findOne({ _id: loginTicket as never, assigneeId: 'agent-putri' })) ?? undefined, 30_000, 'not assigned');

    const reply = await call('POST', `/api/tickets/${loginTicket}/reply`, sessions.agent.accessToken, { text: 'We have reset your OTP, please try again.' });
    expect(reply.status).toBe(202);
    expect((await published(reply.body.commandId)).command).toEqual({ type: 'ticket.reply', ticketId: loginTicket, agentId: 'agent-putri', text: 'We have reset your OTP, please try again.' });
    expect((await call('POST', `/api/tickets/${loginTicket}/reply`, sessions.agent.accessToken, { text: '   ' })).status).toBe(400);

    // Lists and reads are scoped: the trust-and-safety ticket is not the agent's to see (403, not 404).
    const list = await call('GET', '/api/tickets?pageSize=100', sessions.agent.accessToken);
    const ids = (list.body.items as { id: string; queue: string }[]).map((t) => t.id);
    expect(ids).toContain(loginTicket);
    expect(ids).not.toContain(securityTicket);
    expect((await call('GET', `/api/tickets/${securityTicket}`, sessions.agent.accessToken)).status).toBe(403);
    expect((await call('POST', `/api/tickets/${securityTicket}/reply`, sessions.agent.accessToken, { text: 'hi' })).status).toBe(403);
    expect((await call('GET', '/api/tickets/no-such-ticket', sessions.agent.accessToken)).status).toBe(404);
    const all = await call('GET', '/api/tickets?pageSize=100', sessions.supervisor.accessToken);
    expect((all.body.items as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining([loginTicket, securityTicket]));

    // Live: the supervisor hears about both tickets, the agent never about the other queue's.
    await eventually(() => supervisorLive.ticketIds().has(securityTicket) && supervisorLive.ticketIds().has(loginTicket), 30_000, 'supervisor socket missed a ticket');
    await eventually(() => agentLive.frames.some((f) => f.type === 'ticket' && f.event?.ticketId === loginTicket && f.event.type === 'ticket.assigned'), 30_000, 'agent socket missed the assignment');
    expect(agentLive.ticketIds().has(securityTicket)).toBe(false);
    expect(agentLive.frames.filter((f) => f.type === 'queue_stats').every((f) => JSON.stringify(f).includes('trust-and-safety') === false)).toBe(true);
  });

  it('returns customer text as plain JSON, never HTML', async () => {
    const detail = await call('GET', `/api/tickets/${loginTicket}`, sessions.agent.accessToken);
    expect(detail.status).toBe(200);
    expect(detail.type).toMatch(/^application\/json/);
    const messages = detail.body.messages as { author: string; text: string }[];
    expect(messages.find((m) => m.author === 'customer')?.text).toBe(`I cannot log in, the OTP never arrives ${XSS}`);
    expect(detail.body).toMatchObject({ classification: { category: 'login', explanation: expect.any(Array) }, ticket: { id: loginTicket, queue: 'account-access' } });
    const routing = await call('GET', `/api/tickets/${loginTicket}/routing`, sessions.agent.accessToken);
    expect((routing.body.entries as { type: string }[]).map((e) => e.type)).toEqual(expect.arrayContaining(['assigned']));
  });

  it('lets a supervisor transfer (a ticket.transfer command) but not an agent, and records who did what', async () => {
    expect((await call('POST', `/api/tickets/${loginTicket}/transfer`, sessions.agent.accessToken, { to: { kind: 'queue', queue: 'general' } })).status).toBe(403);
    expect((await call('POST', `/api/tickets/${securityTicket}/transfer`, sessions.supervisor.accessToken, { to: { kind: 'queue', queue: 'nowhere' } })).status).toBe(422);
    const transfer = await call('POST', `/api/tickets/${securityTicket}/transfer`, sessions.supervisor.accessToken, { to: { kind: 'queue', queue: 'general' } });
    expect(transfer.status).toBe(202);
    expect(await published(transfer.body.commandId)).toMatchObject({ actor: { id: 'demo-supervisor', role: 'supervisor' }, command: { type: 'ticket.transfer', ticketId: securityTicket, to: { kind: 'queue', queue: 'general' } } });

    expect((await call('GET', '/api/audit', sessions.agent.accessToken)).status).toBe(403);
    const audit = await call('GET', '/api/audit?pageSize=100', sessions.supervisor.accessToken);
    const entries = audit.body.items as { action: string; actor: { id: string }; target: string | null; outcome: string }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'ticket.accept', actor: expect.objectContaining({ id: 'demo-agent' }), target: loginTicket }),
        expect.objectContaining({ action: 'ticket.reply', target: loginTicket }),
        expect.objectContaining({ action: 'ticket.transfer', actor: expect.objectContaining({ id: 'demo-supervisor' }), target: securityTicket }),
        expect.objectContaining({ action: 'auth.login', outcome: 'refused' }),
      ]),
    );
    const transfers = await call('GET', '/api/audit?action=ticket.transfer', sessions.supervisor.accessToken);
    expect((transfers.body.items as unknown[]).length).toBe(1);
  });

  it('gives operators queue stats, agents and a validated workflow', async () => {
    const stats = await call('GET', '/api/queues/stats', sessions.supervisor.accessToken);
    const queues = stats.body.queues as { queue: string; waiting: number; assigned: number }[];
    expect(queues.find((q) => q.queue === 'account-access')?.assigned).toBe(1);
    const agentStats = await call('GET', '/api/queues/stats', sessions.agent.accessToken);
    expect((agentStats.body.queues as { queue: string }[]).map((q) => q.queue)).not.toContain('trust-and-safety');

    const agents = await call('GET', '/api/agents', sessions.supervisor.accessToken);
    const putri = (agents.body.items as { id: string; presence: string; load: { chat: number } }[]).find((a) => a.id === 'agent-putri');
    expect(putri?.presence).toBe('available');
    // The login ticket, and the transferred one when general offered it to Putri meanwhile.
    expect(putri?.load.chat).toBeGreaterThanOrEqual(1);
    expect((await call('PUT', '/api/agents/agent-bo', sessions.supervisor.accessToken, { skills: ['payments'] })).status).toBe(403);
    const upsert = await call('PUT', '/api/agents/agent-bo', sessions.admin.accessToken, { displayName: 'Bo', skills: ['payments'], languages: ['en'] });
    expect(upsert.status).toBe(202);
    expect((await published(upsert.body.commandId)).command).toMatchObject({ type: 'agent.upsert', agent: { id: 'agent-bo', skills: ['payments'] } });

    const workflow = await call('GET', '/api/workflow', sessions.admin.accessToken);
    const source = workflow.body.source as string;
    const broken = await call('PUT', '/api/workflow', sessions.admin.accessToken, { source: source.replace('queue: refunds, priority: 40, worker', 'queue: refundz, priority: 40, worker') });
    expect(broken.status).toBe(422);
    expect(JSON.stringify(broken.body)).toContain("unknown queue 'refundz'");
    // A valid one goes to the router, which stores it as the next version; the console then shows it.
    const edited = source.replace('triageThreshold: 0.6', 'triageThreshold: 0.55');
    const saved = await call('PUT', '/api/workflow', sessions.admin.accessToken, { source: edited });
    expect(saved.status).toBe(202);
    const stored = await eventually(async () => {
      const now = await call('GET', '/api/workflow', sessions.supervisor.accessToken);
      return (now.body.version as number) > ((workflow.body.version as number | null) ?? 0) ? now.body : undefined;
    }, 30_000, 'the router did not store the new workflow');
    expect(stored).toMatchObject({ source: edited, author: { id: 'demo-admin', role: 'admin' }, origin: 'command' });
    // One ticket resolved: the simulator replays it with the handling it took, the other with that median.
    expect((await call('POST', `/api/tickets/${loginTicket}/resolve`, sessions.agent.accessToken)).status).toBe(202);
    await eventually(async () => (await db.collection('routing_log').findOne({ ticketId: loginTicket, 'decision.type': 'resolved' })) ?? undefined, 30_000, 'the resolution was not logged');
    const simulated = await call('POST', '/api/workflow/simulate', sessions.supervisor.accessToken, { source });
    expect(simulated.status).toBe(200);
    expect(simulated.body).toMatchObject({ traffic: { tickets: 2, handlingRecorded: 1 }, current: { tickets: 2 }, proposed: { tickets: 2 } });
    expect(simulated.body.assumptions).toContain('as recorded for 1 of 2 tickets');
  });

  it('lets admins create accounts under the password policy', async () => {
    const account = { email: 'Ops2@Example.com', name: 'Ops Two', role: 'agent', agentId: 'agent-ops2', queues: ['trust-and-safety'] };
    expect((await call('POST', '/api/users', sessions.supervisor.accessToken, { ...account, password: 'a long enough passphrase' })).status).toBe(403);
    const weak = await call('POST', '/api/users', sessions.admin.accessToken, { ...account, password: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'password' })] } });
    const created = await call('POST', '/api/users', sessions.admin.accessToken, { ...account, password: 'a long enough passphrase' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ops2@example.com', role: 'agent', queues: ['trust-and-safety'] });
    expect(created.body).not.toHaveProperty('passwordHash');
    expect((await call('POST', '/api/users', sessions.admin.accessToken, { ...account, password: 'a long enough passphrase' })).status).toBe(409);

    const ops2 = await login('ops2@example.com', 'a long enough passphrase');
    expect(ops2.status).toBe(200);
    const token = (ops2.body as unknown as Session).accessToken;
    expect((await call('GET', `/api/tickets/${loginTicket}`, token)).status).toBe(403);
  });

  it('lets a user change their own password, which ends their other sign-ins', async () => {
    const [first, other] = [(await login('ops2@example.com', 'a long enough passphrase')).body, (await login('ops2@example.com', 'a long enough passphrase')).body] as unknown as Session[];
    const change = (body: unknown) => call('POST', '/api/me/password', first.accessToken, body);
    const wrong = await change({ currentPassword: 'not the password at all', newPassword: 'another long passphrase' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: { code: 'forbidden', message: 'the current password is wrong' } });
    const weak = await change({ currentPassword: 'a long enough passphrase', newPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'newPassword' })] } });
    expect((await change({ currentPassword: 'a long enough passphrase', newPassword: 'a long enough passphrase' })).status).toBe(422);
    expect((await change({ currentPassword: 'a long enough passphrase', newPassword: 'another long passphrase', role: 'admin' })).status).toBe(400);
    expect((await call('POST', '/api/me/password', undefined, { currentPassword: 'a long enough passphrase', newPassword: 'another long passphrase' })).status).toBe(401);

    const changed = await change({ currentPassword: 'a long enough passphrase', newPassword: 'another long passphrase' });
    expect(changed.status).toBe(200);
    const session = changed.body as unknown as Session;
    expect(session.user).toMatchObject({ email: 'ops2@example.com' });
    // Whoever held a sign-in of the old password is out at their next refresh; the caller goes on.
    expect((await call('POST', '/api/auth/refresh', undefined, { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await call('POST', '/api/auth/refresh', undefined, { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await call('POST', '/api/auth/refresh', undefined, { refreshToken: session.refreshToken })).status).toBe(200);
    expect((await login('ops2@example.com', 'a long enough passphrase')).status).toBe(401);
    expect((await login('ops2@example.com', 'another long passphrase')).status).toBe(200);

    const audit = await call('GET', '/api/audit?action=auth.password_change&pageSize=10', sessions.admin.accessToken);
    expect((audit.body.items as { outcome: string }[]).map((entry) => entry.outcome).sort()).toEqual(['accepted', 'refused']);
  });

  it('limits failed sign-ins per address', async () => {
    let last = 0;
    for (let i = 0; i < 7; i++) last = (await login('nobody@example.com', `guess-${i}`)).status;
    expect(last).toBe(429);
    // Locked even with the right password until the window passes.
    expect((await login('admin@example.com')).status).toBe(429);
  });
});
