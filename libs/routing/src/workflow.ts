import { load } from 'js-yaml';
import { z } from 'zod';
import { CATEGORIES, CHANNELS, LANGUAGES, URGENCY_FLAGS } from '@switchboard/contracts';

const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const targetSchema = z.object({ queue: z.string().min(1), priority: z.number().int().min(0).max(1_000) }).strict();

const filterSchema = z
  .object({
    name: z.string().min(1),
    when: z
      .object({
        triage: z.boolean().optional(),
        category: oneOrMany(z.enum(CATEGORIES)).optional(),
        language: oneOrMany(z.enum(LANGUAGES)).optional(),
        channel: oneOrMany(z.enum(CHANNELS)).optional(),
        urgency: oneOrMany(z.enum(URGENCY_FLAGS)).optional(),
      })
      .strict(),
    targets: z.array(targetSchema).min(1),
  })
  .strict();

const workflowSchema = z
  .object({
    version: z.literal(1),
    queues: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: z.string().min(1) }).strict()).min(1),
    urgencyBoost: z.number().int().min(0).default(0),
    filters: z.array(filterSchema),
    default: filterSchema.omit({ when: true }),
  })
  .strict();

export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowFilter = Workflow['filters'][number];

export class WorkflowConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid routing workflow:\n  ${problems.join('\n  ')}`);
    this.name = 'WorkflowConfigError';
  }
}

/** Parses and checks a workflow; every problem is reported with its path, not just the first. */
export function parseWorkflow(yamlText: string): Workflow {
  let raw: unknown;
  try {
    raw = load(yamlText);
  } catch (error) {
    throw new WorkflowConfigError([`not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) throw new WorkflowConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const workflow = parsed.data;
  const queues = new Set(workflow.queues.map((q) => q.id));
  const problems: string[] = [];
  const names = new Set<string>();
  [...workflow.filters, workflow.default].forEach((filter, i) => {
    const path = i < workflow.filters.length ? `filters[${i}]` : 'default';
    if (names.has(filter.name)) problems.push(`${path}.name: '${filter.name}' is used twice`);
    names.add(filter.name);
    filter.targets.forEach((t, j) => {
      if (!queues.has(t.queue)) problems.push(`${path}.targets[${j}].queue: unknown queue '${t.queue}'`);
    });
  });
  if (problems.length) throw new WorkflowConfigError(problems);
  return workflow;
}
