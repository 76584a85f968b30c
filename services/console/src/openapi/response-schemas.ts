/** Response bodies of the console API (OpenAPI 3.0), as the controllers build them. */
const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const time = { type: 'string', format: 'date-time' };
const nullable = (s: object) => ({ ...s, nullable: true });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', properties, required });
const arr = (items: unknown) => ({ type: 'array', items });
const counts = { type: 'object', additionalProperties: int };
const page = (item: string) => obj({ items: arr(ref(item)), page: int, pageSize: int, total: int });
const role = { type: 'string', enum: ['agent', 'supervisor', 'admin'] };
const kinds = obj({ email: int, chat: int, sms: int, social: int });

const user = obj({ id: str, email: str, name: str, role, agentId: str, queues: arr(str) }, ['id', 'email', 'name', 'role', 'queues']);
const slaClock = obj(
  { policy: str, target: { type: 'string', enum: ['first-response', 'resolution'] }, dueAt: time, secondsLeft: int, pausedAt: time, state: { type: 'string', enum: ['ok', 'at_risk', 'breached', 'paused', 'none'] } },
  ['state'],
);
const ticketSummary = obj({
  id: str,
  number: int,
  status: { type: 'string', enum: ['open', 'assigned', 'pending', 'resolved'] },
  category: str,
  confidence: num,
  triage: bool,
  queue: str,
  priority: int,
  language: str,
  urgency: arr(str),
  channel: str,
  contact: obj({ channel: str, address: str, displayName: str }, ['channel', 'address']),
  contactKey: str,
  assigneeId: nullable(str),
  assignment: nullable(obj({ agentId: str, state: { type: 'string', enum: ['offered', 'assigned'] }, offerExpiresAt: nullable(time) })),
  queuePosition: nullable(int),
  expectedWaitSeconds: nullable(num),
  openedAt: time,
  lastMessageAt: time,
  updatedAt: time,
  sla: slaClock,
});
const message = obj(
  { id: str, direction: { type: 'string', enum: ['in', 'out'] }, author: { type: 'string', enum: ['customer', 'agent', 'system'] }, channel: str, text: { type: 'string', description: 'plain text as written; never HTML' }, at: time, agentId: str, kind: str, status: str },
  ['id', 'direction', 'author', 'channel', 'text', 'at'],
);
const queueStats = obj({ queue: str, name: str, waiting: int, assigned: int, longestWaitSeconds: int, expectedWaitSeconds: nullable(int), slaAtRisk: int, slaBreached: int });
const agent = obj({ id: str, displayName: nullable(str), presence: { type: 'string', enum: ['available', 'away', 'offline'] }, skills: arr(str), languages: arr(str), teams: arr(str), level: int, load: kinds, capacity: kinds, offers: int });

export const RESPONSE_SCHEMAS = {
  Error: obj({ error: obj({ code: { type: 'string', enum: ['validation_failed', 'bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'rate_limited', 'upstream_failed', 'unavailable', 'internal'] }, message: str, details: arr({ type: 'object' }) }, ['code', 'message']) }),
  User: user,
  UserPage: page('User'),
  Session: obj({ accessToken: str, tokenType: { type: 'string', enum: ['Bearer'] }, expiresIn: int, refreshToken: str, user }),
  CommandAccepted: obj({ commandId: { type: 'string', format: 'uuid' } }),
  TicketSummary: ticketSummary,
  TicketPage: page('TicketSummary'),
  TicketDetail: obj({
    ticket: ticketSummary,
    messages: arr(message),
    notes: arr(obj({ id: str, agentId: str, text: str, at: time })),
    classification: obj({ category: str, confidence: num, scores: { type: 'object', additionalProperties: num }, explanation: arr(str), entities: { type: 'object' }, language: str, urgency: arr(str) }),
    notifications: arr(obj({ id: str, kind: str, status: str, channel: str, errorCode: nullable(str), at: time })),
    sla: slaClock,
  }),
  RoutingLog: obj({
    ticketId: str,
    number: int,
    queue: str,
    reason: nullable(str),
    route: obj({ filter: nullable(str), step: nullable(int), explanation: arr(str) }),
    entries: arr(obj({ seq: int, type: str, at: time, agentId: nullable(str), queue: nullable(str), reason: nullable(str), explanation: arr(str), assignment: nullable(obj({ agentId: str, state: str })) })),
  }),
  QueueStats: queueStats,
  QueueStatsList: obj({ queues: arr(queueStats), at: time }),
  VolumeStats: obj({
    window: { type: 'string', enum: ['hour', 'day'] },
    from: time,
    to: time,
    opened: int,
    byChannel: counts,
    byCategory: counts,
    byLanguage: counts,
    meanConfidence: nullable(num),
    triageRate: nullable(num),
    resolved: int,
    resolvedPerHour: num,
    series: arr(obj({ from: time, opened: int, resolved: int })),
  }),
  Agent: agent,
  AgentPage: page('Agent'),
  WorkflowView: obj({
    version: nullable(int),
    source: { type: 'string', description: 'YAML' },
    author: nullable(obj({ id: str, role: str })),
    at: nullable(time),
    origin: nullable({ type: 'string', enum: ['seed', 'command'] }),
    queues: arr(obj({ id: str, name: str })),
    filters: arr(obj({ name: str, when: str })),
    versions: arr(obj({ version: int, author: obj({ id: str, role: str }), at: time, origin: str })),
  }),
  SimulationComparison: obj({
    traffic: obj({ tickets: int, agents: int, since: time, handlingRecorded: int }),
    assumptions: str,
    current: { type: 'object', description: "libs/routing's SimulationReport (waits, SLA attainment, occupancy, offers, escalations)" },
    proposed: { type: 'object', description: "libs/routing's SimulationReport" },
  }),
  AuditEntry: obj({ id: str, at: time, actor: obj({ id: str, role: str, email: str, agentId: str }, ['id', 'role']), action: str, target: nullable(str), commandId: nullable(str), outcome: { type: 'string', enum: ['accepted', 'refused'] }, details: { type: 'object' } }),
  AuditPage: page('AuditEntry'),
  Templates: obj({ templates: arr(obj({ kind: str, language: str, variables: arr(str), default: { type: 'object' }, override: { type: 'object' } }, ['kind', 'language', 'variables', 'default'])) }),
  Template: obj({ _id: str, kind: str, language: str, subject: str, text: str, sms: str, updatedAt: time, updatedBy: str }),
};
