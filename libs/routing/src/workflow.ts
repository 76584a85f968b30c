import { load } from 'js-yaml';
import { z } from 'zod';
import { CATEGORIES, CHANNELS, LANGUAGES, URGENCY_FLAGS } from '@switchboard/contracts';
import { AGENT_SCOPE, SLA_SCOPE, TICKET_SCOPE } from './attributes';
import { BusinessHours, isTimeZone, parseSpan, WEEKDAYS } from './business-hours';
import { CompiledExpression, compileExpression, ExpressionError, ExpressionScope } from './expression';

/** Capacity is counted per kind of conversation; in-app conversations are chats. */
export const CAPACITY_KINDS = ['email', 'chat', 'sms', 'social'] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];
export const DEFAULT_CAPACITY: Readonly<Record<CapacityKind, number>> = { email: 8, chat: 3, sms: 5, social: 5 };

const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

/** The first form of `when` (still accepted): each key a value or a list of values, all must hold. */
const legacyWhenSchema = z
  .object({
    triage: z.boolean().optional(),
    category: oneOrMany(z.enum(CATEGORIES)).optional(),
    language: oneOrMany(z.enum(LANGUAGES)).optional(),
    channel: oneOrMany(z.enum(CHANNELS)).optional(),
    urgency: oneOrMany(z.enum(URGENCY_FLAGS)).optional(),
  })
  .strict();

const seconds = z.number().int().positive();
const priority = z.number().int().min(0).max(1_000_000);

const targetSchema = z
  .object({
    queue: z.string().min(1),
    priority,
    /** Which agents may take the ticket at this step, over agent attributes (skills, languages, team, level). */
    worker: z.string().min(1).optional(),
    /** Waiting longer than this at this step moves the ticket to the next target. */
    timeoutSeconds: seconds.optional(),
  })
  .strict();

const filterSchema = z
  .object({
    name: z.string().min(1),
    when: z.union([z.string().min(1), legacyWhenSchema], {
      errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'Required' : 'an expression, or a map of triage/category/language/channel/urgency' }),
    }),
    targets: z.array(targetSchema).min(1),
  })
  .strict();

const spans = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
/** Opening hours: SLA clocks of the queue's tickets run only inside them. */
const hoursSchema = z
  .object({
    timezone: z.string().min(1),
    weekly: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, spans.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof spans>>).strict(),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD')).default([]),
  })
  .strict();

const queueSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    /** `priority`: highest priority first, then oldest; `age`: oldest first. */
    order: z.enum(['priority', 'age']).default('priority'),
    /** `balanced`: the agent with most spare capacity on the ticket's channel; `longest-idle`: the agent offered work least recently. */
    agentChoice: z.enum(['balanced', 'longest-idle']).default('balanced'),
    /** Assign without asking; otherwise the agent gets an offer to accept or reject within `offerTimeoutSeconds`. */
    autoAccept: z.boolean().default(false),
    offerTimeoutSeconds: seconds.default(30),
    /** Who works this queue at all, over agent attributes; everyone when absent. */
    members: z.string().min(1).optional(),
    /** Where the `overflow` escalation sends tickets of this queue. */
    overflow: z.string().min(1).optional(),
    /** Business hours; around the clock when absent. */
    hours: hoursSchema.optional(),
  })
  .strict();

const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('raise-priority'), by: z.number().int().positive() }).strict(),
  z.object({ action: z.literal('next-target') }).strict(),
  z.object({ action: z.literal('overflow') }).strict(),
  z.object({ action: z.literal('move-to'), queue: z.string().min(1) }).strict(),
  z.object({ action: z.literal('reassign') }).strict(),
  z.object({ action: z.literal('alert-supervisors') }).strict(),
]);

const slaSchema = z
  .object({
    name: z.string().min(1),
    /** Over ticket attributes plus `queue` and the routed `priority`; always when absent. */
    when: z.string().min(1).optional(),
    firstResponseSeconds: seconds.optional(),
    resolutionSeconds: seconds.optional(),
    /** A warning this long before a breach; a fifth of the target when absent. */
    warnBeforeSeconds: seconds.optional(),
    onWarning: z.array(actionSchema).default([]),
    onBreach: z.array(actionSchema).default([{ action: 'alert-supervisors' }]),
  })
  .strict();

const workflowSchema = z
  .object({
    version: z.literal(1),
    /** Confidence below this sends a ticket to triage (`triage` in expressions) unless the ticket brings its own. */
    triageThreshold: z.number().min(0).max(1).default(0.5),
    /** Added to a target's priority for each urgency flag the classifier raised. */
    urgencyBoost: z.number().int().min(0).default(0),
    agents: z
      .object({
        capacity: z.object({ email: z.number().int().min(0), chat: z.number().int().min(0), sms: z.number().int().min(0), social: z.number().int().min(0) }).partial().strict().default({}),
        /** After this many offers in a row left unanswered the agent is set away; 0 never. */
        missedOffersBeforeAway: z.number().int().min(0).default(2),
      })
      .strict()
      .default({}),
    /** Expected-wait estimates use assignments within this window. */
    serviceRateWindowSeconds: seconds.default(1800),
    queues: z.array(queueSchema).min(1),
    filters: z.array(filterSchema),
    default: filterSchema.omit({ when: true }),
    sla: z.array(slaSchema).default([]),
  })
  .strict();

type RawWorkflow = z.infer<typeof workflowSchema>;
export type QueueConfig = z.infer<typeof queueSchema> & { membersExpr?: CompiledExpression; businessHours?: BusinessHours };
export type EscalationAction = z.infer<typeof actionSchema>;
export type WorkflowTarget = z.infer<typeof targetSchema> & { workerExpr?: CompiledExpression };
export interface WorkflowFilter {
  name: string;
  /** The `when` as written (legacy object forms are turned into an expression). */
  when: string;
  whenExpr: CompiledExpression;
  targets: WorkflowTarget[];
}
export type SlaPolicy = z.infer<typeof slaSchema> & { whenExpr?: CompiledExpression };

export interface Workflow {
  version: 1;
  triageThreshold: number;
  urgencyBoost: number;
  capacity: Readonly<Record<CapacityKind, number>>;
  missedOffersBeforeAway: number;
  serviceRateWindowSeconds: number;
  queues: QueueConfig[];
  queueById: ReadonlyMap<string, QueueConfig>;
  filters: WorkflowFilter[];
  default: Omit<WorkflowFilter, 'when' | 'whenExpr'>;
  sla: SlaPolicy[];
}

/** One thing wrong with a workflow: where (`filters[1].targets[0].queue`, `(root)`) and what. */
export interface WorkflowIssue {
  path: string;
  message: string;
}

export class WorkflowConfigError extends Error {
  readonly problems: string[];

  constructor(readonly issues: WorkflowIssue[]) {
    const problems = issues.map((i) => `${i.path}: ${i.message}`);
    super(`invalid routing workflow:\n  ${problems.join('\n  ')}`);
    this.name = 'WorkflowConfigError';
    this.problems = problems;
  }
}

function pathText(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function legacyToExpression(when: z.infer<typeof legacyWhenSchema>): string {
  const clauses: string[] = [];
  const list = (vs: readonly string[]) => `[${vs.map((v) => `'${v}'`).join(', ')}]`;
  if (when.triage !== undefined) clauses.push(when.triage ? 'triage' : 'not triage');
  if (when.category) clauses.push(when.category.length === 1 ? `category == '${when.category[0]}'` : `category in ${list(when.category)}`);
  if (when.language) clauses.push(when.language.length === 1 ? `language == '${when.language[0]}'` : `language in ${list(when.language)}`);
  if (when.channel) clauses.push(when.channel.length === 1 ? `channel == '${when.channel[0]}'` : `channel in ${list(when.channel)}`);
  if (when.urgency) clauses.push(`(${when.urgency.map((u) => `'${u}' in urgency`).join(' or ')})`);
  return clauses.length ? clauses.join(' and ') : 'true';
}

/** Parses and checks a workflow; every problem is reported with its path, not just the first. */
export function parseWorkflow(yamlText: string): Workflow {
  let raw: unknown;
  try {
    raw = load(yamlText);
  } catch (error) {
    throw new WorkflowConfigError([{ path: '(root)', message: `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }]);
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) throw new WorkflowConfigError(parsed.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })));
  return checkWorkflow(parsed.data);
}

function checkWorkflow(raw: RawWorkflow): Workflow {
  const problems: WorkflowIssue[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  const compile = (source: string, scope: ExpressionScope, path: string): CompiledExpression | undefined => {
    try {
      return compileExpression(source, scope);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problem(path, error.message);
      return undefined;
    }
  };
  const queueIds = new Set<string>();
  const queues: QueueConfig[] = raw.queues.map((q, i) => {
    if (queueIds.has(q.id)) problem(`queues[${i}].id`, `'${q.id}' is used twice`);
    queueIds.add(q.id);
    return { ...q, membersExpr: q.members ? compile(q.members, AGENT_SCOPE, `queues[${i}].members`) : undefined, businessHours: q.hours && checkHours(q.hours, `queues[${i}].hours`, problem) };
  });
  const checkQueue = (id: string, path: string) => {
    if (!queueIds.has(id)) problem(path, `unknown queue '${id}'${closest(id, [...queueIds])}`);
  };
  queues.forEach((q, i) => q.overflow && checkQueue(q.overflow, `queues[${i}].overflow`));

  const names = new Set<string>();
  const targetsOf = (targets: RawWorkflow['default']['targets'], path: string): WorkflowTarget[] =>
    targets.map((t, j) => {
      checkQueue(t.queue, `${path}.targets[${j}].queue`);
      return { ...t, workerExpr: t.worker ? compile(t.worker, AGENT_SCOPE, `${path}.targets[${j}].worker`) : undefined };
    });
  const filters: WorkflowFilter[] = raw.filters.map((f, i) => {
    const path = `filters[${i}]`;
    if (names.has(f.name)) problem(`${path}.name`, `'${f.name}' is used twice`);
    names.add(f.name);
    const when = typeof f.when === 'string' ? f.when : legacyToExpression(f.when);
    const whenExpr = compile(when, TICKET_SCOPE, `${path}.when`);
    return { name: f.name, when, whenExpr: whenExpr as CompiledExpression, targets: targetsOf(f.targets, path) };
  });
  if (names.has(raw.default.name)) problem('default.name', `'${raw.default.name}' is used twice`);
  const fallback = { name: raw.default.name, targets: targetsOf(raw.default.targets, 'default') };

  const sla: SlaPolicy[] = raw.sla.map((p, i) => {
    const path = `sla[${i}]`;
    if (p.firstResponseSeconds === undefined && p.resolutionSeconds === undefined) problem(path, 'needs firstResponseSeconds or resolutionSeconds');
    [...p.onWarning.map((a, j) => [a, `${path}.onWarning[${j}]`] as const), ...p.onBreach.map((a, j) => [a, `${path}.onBreach[${j}]`] as const)].forEach(([a, at]) => {
      if (a.action === 'move-to') checkQueue(a.queue, `${at}.queue`);
    });
    return { ...p, whenExpr: p.when ? compile(p.when, SLA_SCOPE, `${path}.when`) : undefined };
  });

  if (problems.length) throw new WorkflowConfigError(problems);
  return {
    version: raw.version,
    triageThreshold: raw.triageThreshold,
    urgencyBoost: raw.urgencyBoost,
    capacity: { ...DEFAULT_CAPACITY, ...raw.agents.capacity },
    missedOffersBeforeAway: raw.agents.missedOffersBeforeAway,
    serviceRateWindowSeconds: raw.serviceRateWindowSeconds,
    queues,
    queueById: new Map(queues.map((q) => [q.id, q])),
    filters,
    default: fallback,
    sla,
  };
}

function checkHours(hours: z.infer<typeof hoursSchema>, path: string, problem: (path: string, message: string) => void): BusinessHours | undefined {
  let ok = true;
  if (!isTimeZone(hours.timezone)) {
    ok = false;
    problem(`${path}.timezone`, `unknown time zone '${hours.timezone}' (an IANA name such as Asia/Jakarta)`);
  }
  let open = 0;
  for (const day of WEEKDAYS) {
    (hours.weekly[day] ?? []).forEach((text, i) => {
      const span = parseSpan(text);
      if (typeof span === 'string') {
        ok = false;
        problem(`${path}.weekly.${day}[${i}]`, span);
      } else open++;
    });
  }
  if (ok && open === 0) {
    ok = false;
    problem(`${path}.weekly`, 'no opening hours on any day (leave `hours` out for around the clock)');
  }
  return ok ? new BusinessHours({ timezone: hours.timezone, weekly: hours.weekly, holidays: hours.holidays }) : undefined;
}

function closest(id: string, known: string[]): string {
  const near = known.filter((k) => k.startsWith(id.slice(0, 3)));
  return near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : '';
}

/** What `validateWorkflowSource` says: the parsed workflow, or every problem with its path. */
export type WorkflowValidation = { ok: true; workflow: Workflow } | { ok: false; errors: WorkflowIssue[] };

/**
 * Checks a workflow YAML without throwing: for the console before it sends `workflow.set`, and
 * for the router before it stores one. The same checks as `parseWorkflow`.
 */
export function validateWorkflowSource(yamlText: string): WorkflowValidation {
  try {
    return { ok: true, workflow: parseWorkflow(yamlText) };
  } catch (error) {
    if (error instanceof WorkflowConfigError) return { ok: false, errors: error.issues };
    throw error;
  }
}
