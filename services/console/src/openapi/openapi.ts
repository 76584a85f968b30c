import { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z, ZodTypeAny } from 'zod';
import { agentProfileSchema } from '@switchboard/contracts';
import { auditQuerySchema } from '../audit/audit.controller';
import { loginSchema, presenceSchema, refreshSchema } from '../auth/auth.schemas';
import { agentListQuerySchema, agentUpsertSchema } from '../operators/agents.controller';
import { statsQuerySchema } from '../operators/stats.controller';
import { templateBodySchema } from '../operators/templates-proxy.controller';
import { categorySchema, noteSchema, rejectSchema, replySchema, transferSchema } from '../tickets/ticket-actions.schemas';
import { ticketListQuerySchema } from '../tickets/ticket-query';
import { userCreateSchema, userListQuerySchema, userUpdateSchema } from '../users/users.controller';
import { simulateBodySchema, workflowBodySchema } from '../workflow/workflow.controller';
import { JsonSchema, queryParameters, toJsonSchema } from './zod-json-schema';
import { RESPONSE_SCHEMAS } from './response-schemas';

type Role = 'agent' | 'supervisor' | 'admin' | 'public';

interface Operation {
  summary: string;
  role: Role;
  body?: ZodTypeAny;
  query?: z.AnyZodObject;
  /** Status and the component schema of its body (null: no body). */
  ok: [number, string | null];
  errors?: number[];
  params?: string[];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ticketAction = (summary: string, body?: ZodTypeAny, role: Role = 'agent'): Operation => ({ summary, role, body, ok: [202, 'CommandAccepted'], errors: [400, 403, 404, 503], params: ['id'] });

const OPERATIONS: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', Operation>>> = {
  '/api/auth/login': { post: { summary: 'Sign in with email and password; too many failures from one address answer 429.', role: 'public', body: loginSchema, ok: [200, 'Session'], errors: [400, 401, 429] } },
  '/api/auth/refresh': { post: { summary: 'A new access token and a new refresh token; the old refresh token is spent (reuse revokes the sign-in).', role: 'public', body: refreshSchema, ok: [200, 'Session'], errors: [400, 401] } },
  '/api/auth/logout': { post: { summary: 'Ends the sign-in the refresh token belongs to.', role: 'public', body: refreshSchema, ok: [204, null], errors: [400] } },
  '/api/me': { get: { summary: 'The signed-in user.', role: 'agent', ok: [200, 'User'], errors: [401] } },
  '/api/me/presence': { post: { summary: "The agent's presence for routing (`agent.presence` command).", role: 'agent', body: presenceSchema, ok: [202, 'CommandAccepted'], errors: [400, 401, 403] } },
  '/api/tickets': { get: { summary: 'Tickets the user may see, newest activity first. Agents: theirs and the unheld ones of their queues.', role: 'agent', query: ticketListQuerySchema, ok: [200, 'TicketPage'], errors: [400, 401] } },
  '/api/tickets/{id}': { get: { summary: 'The ticket with its conversation across channels, notes, classification, notifications and SLA clock. 403 for a ticket outside your queues.', role: 'agent', ok: [200, 'TicketDetail'], errors: [401, 403, 404], params: ['id'] } },
  '/api/tickets/{id}/routing': { get: { summary: "The ticket's routing log with each decision's explanation.", role: 'agent', ok: [200, 'RoutingLog'], errors: [401, 403, 404], params: ['id'] } },
  '/api/tickets/{id}/accept': { post: ticketAction('Accept an offer made to you (`ticket.accept`).') },
  '/api/tickets/{id}/reject': { post: ticketAction('Turn down an offer made to you (`ticket.reject`).', rejectSchema) },
  '/api/tickets/{id}/reply': { post: ticketAction('Reply to the customer on their channel (`ticket.reply`).', replySchema) },
  '/api/tickets/{id}/notes': { post: ticketAction('Internal note for agents (`ticket.add_note`).', noteSchema) },
  '/api/tickets/{id}/pending': { post: ticketAction('Wait for the customer (`ticket.set_pending`).') },
  '/api/tickets/{id}/resolve': { post: ticketAction('Resolve (`ticket.resolve`).') },
  '/api/tickets/{id}/transfer': { post: { ...ticketAction('Transfer to an agent or a queue (supervisors), or back to the workflow (`ticket.transfer`).', transferSchema), errors: [400, 403, 404, 422, 503] } },
  '/api/tickets/{id}/category': { post: ticketAction('Recategorise (`ticket.set_category`); feeds the classifier its labelled data.', categorySchema) },
  '/api/queues/stats': { get: { summary: 'Per queue: waiting, longest and expected wait, SLA at risk and breached (agents: their queues).', role: 'agent', ok: [200, 'QueueStatsList'], errors: [401] } },
  '/api/stats': { get: { summary: 'Volume by channel, category and language, mean confidence, triage rate and throughput over the last hour or day.', role: 'supervisor', query: statsQuerySchema, ok: [200, 'VolumeStats'], errors: [400, 401, 403] } },
  '/api/agents': { get: { summary: 'Agents with presence, load and capacity per kind of conversation, skills and languages.', role: 'supervisor', query: agentListQuerySchema, ok: [200, 'AgentPage'], errors: [400, 401, 403] } },
  '/api/agents/{id}': { put: { summary: "Create or change an agent's routing profile (`agent.upsert`).", role: 'admin', body: agentUpsertSchema, ok: [202, 'CommandAccepted'], errors: [400, 401, 403, 422, 503], params: ['id'] } },
  '/api/workflow': {
    get: { summary: 'The routing workflow (YAML) with its queues and filters.', role: 'supervisor', ok: [200, 'WorkflowView'], errors: [401, 403] },
    put: { summary: 'Replace the workflow: validated like the router does (422 lists every problem), then `workflow.set`.', role: 'admin', body: workflowBodySchema, ok: [202, 'CommandAccepted'], errors: [400, 401, 403, 422, 503] },
  },
  '/api/workflow/simulate': { post: { summary: 'Simulate a workflow against recent arrivals and the known agents, beside the current one.', role: 'supervisor', body: simulateBodySchema, ok: [200, 'SimulationComparison'], errors: [400, 401, 403, 422] } },
  '/api/audit': { get: { summary: 'Who did what and when, newest first.', role: 'supervisor', query: auditQuerySchema, ok: [200, 'AuditPage'], errors: [400, 401, 403] } },
  '/api/users': {
    get: { summary: 'Console accounts.', role: 'admin', query: userListQuerySchema, ok: [200, 'UserPage'], errors: [400, 401, 403] },
    post: { summary: 'Create an account (password policy: 422 lists the problems; 409 when the email exists).', role: 'admin', body: userCreateSchema, ok: [201, 'User'], errors: [400, 401, 403, 409, 422] },
  },
  '/api/users/{id}': { put: { summary: "Change an account's name, role, agent id, queues or password (effective at the user's next token refresh).", role: 'admin', body: userUpdateSchema, ok: [200, 'User'], errors: [400, 401, 403, 404, 422], params: ['id'] } },
  '/api/templates': { get: { summary: "The notifier's message templates (kinds, languages, variables, defaults, overrides).", role: 'supervisor', ok: [200, 'Templates'], errors: [401, 403, 502, 503] } },
  '/api/templates/{kind}/{language}': {
    put: { summary: 'Save a template (validated by the notifier: 422 with its problems).', role: 'admin', body: templateBodySchema, ok: [200, 'Template'], errors: [400, 401, 403, 404, 422, 502, 503], params: ['kind', 'language'] },
    delete: { summary: 'Back to the default template.', role: 'admin', ok: [204, null], errors: [401, 403, 404, 502, 503], params: ['kind', 'language'] },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'malformed or unknown fields (`validation_failed`, details by field)',
  401: 'no, forged or expired access token; wrong password',
  403: 'the role or the ticket scope does not allow it',
  404: 'no such resource',
  413: 'body too large',
  422: 'valid JSON, but the content is refused (details listed)',
  429: 'too many failed sign-ins from this address',
  502: 'the notifier failed',
  503: 'Kafka did not take the command; retry',
};

export function buildOpenApiDocument(): OpenAPIObject {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const responses: Record<string, unknown> = {
        [op.ok[0]]: op.ok[1] ? { description: 'OK', content: { 'application/json': { schema: ref(op.ok[1]) } } } : { description: 'done' },
      };
      for (const status of [...(op.errors ?? []), ...(op.body ? [413] : [])]) responses[status] = { description: ERROR_TEXT[status] ?? 'error', content: { 'application/json': { schema: ref('Error') } } };
      paths[path][method] = {
        summary: op.summary,
        description: op.role === 'public' ? 'No sign-in needed.' : `Needs the ${op.role} role or higher.`,
        ...(op.role === 'public' ? { security: [] } : {}),
        parameters: [...(op.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), ...(op.query ? queryParameters(op.query) : [])],
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(op.body) } } } } : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Switchboard console API',
      version: '1',
      description:
        'Agents work their queues, operators watch and tune routing. Sign in at /api/auth/login, send `Authorization: Bearer <accessToken>`. ' +
        'Live events: WebSocket /api/live?access_token=<accessToken> (frames `ticket`, `offer`, `queue_stats`, `presence`, scoped by role). ' +
        'Errors: `{ "error": { "code", "message", "details"? } }`. Lists: `?page=&pageSize=` (max 100) → `{ items, page, pageSize, total }`.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ...RESPONSE_SCHEMAS, AgentProfile: toJsonSchema(agentProfileSchema) } as Record<string, JsonSchema>,
    },
    security: [{ bearer: [] }],
    paths,
  } as OpenAPIObject;
}

/** `/api/docs` (Swagger UI) and `/api/docs-json`. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(), { jsonDocumentUrl: 'api/docs-json' });
}
