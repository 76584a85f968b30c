import { isTriage, ticketBindings, TicketAttributes } from './attributes';
import { Bindings } from './expression';
import { Workflow, WorkflowTarget } from './workflow';

export type { TicketAttributes } from './attributes';

export interface RoutingDecision {
  queue: string;
  priority: number;
  filter: string;
  step: number;
  /** Waiting longer than this at this step moves the ticket to the next target. */
  timeoutSeconds?: number;
  /** Which agents may take the ticket at this step (agent attributes). */
  workerExpression?: string;
  /** Why, in words an agent or operator can read next to the ticket. */
  explanation: string[];
}

/** A target with the ticket's urgency boost applied. */
export interface ResolvedTarget extends WorkflowTarget {
  step: number;
}

export interface WorkflowMatch {
  filter: string;
  targets: ResolvedTarget[];
  boost: number;
  explanation: string[];
  /** What the filters read, for callers that evaluate more expressions over the same ticket. */
  bindings: Bindings;
}

/** Runs the filters in order: the first whose `when` holds (or the default) gives the ticket its targets. */
export function matchWorkflow(workflow: Workflow, ticket: TicketAttributes): WorkflowMatch {
  const explanation: string[] = [];
  const bindings = ticketBindings(ticket, workflow.triageThreshold);
  const cache = cacheOf(workflow);
  let chosen: { name: string; targets: WorkflowTarget[] } | undefined;
  for (const filter of workflow.filters) {
    if (filter.whenExpr.evaluate(bindings)) {
      chosen = filter;
      explanation.push(`filter '${filter.name}' matched`, `because ${filter.when}`);
      break;
    }
    // The same values give the same words: most tickets repeat a handful of combinations.
    const key = `${filter.name}\u0000${filter.whenExpr.names.map((n) => String(bindings[n])).join('\u0000')}`;
    let why = cache.skipped.get(key);
    if (why === undefined) {
      why = `filter '${filter.name}' skipped: ${filter.whenExpr.explainFalse(bindings)}`;
      if (cache.skipped.size < 10_000) cache.skipped.set(key, why);
    }
    explanation.push(why);
  }
  if (!chosen) {
    chosen = workflow.default;
    explanation.push(`no filter matched: default '${workflow.default.name}'`);
  }
  if (isTriage(ticket, workflow.triageThreshold) && ticket.triage === undefined) {
    explanation.push(`confidence ${ticket.confidence} is below the triage threshold ${ticket.triageThreshold ?? workflow.triageThreshold}`);
  }
  const boost = ticket.urgency.length * workflow.urgencyBoost;
  if (boost > 0) explanation.push(`priority +${boost} for urgency: ${ticket.urgency.join(', ')}`);
  // Resolved targets are shared by every ticket of the same filter and boost (they are never changed in place).
  let byBoost = cache.targets.get(chosen);
  if (!byBoost) cache.targets.set(chosen, (byBoost = new Map()));
  let targets = byBoost.get(boost);
  if (!targets) byBoost.set(boost, (targets = chosen.targets.map((t, step) => ({ ...t, priority: t.priority + boost, step }))));
  return { filter: chosen.name, targets, boost, explanation, bindings };
}

interface MatchCache {
  skipped: Map<string, string>;
  targets: Map<object, Map<number, ResolvedTarget[]>>;
}
const caches = new WeakMap<Workflow, MatchCache>();
function cacheOf(workflow: Workflow): MatchCache {
  let cache = caches.get(workflow);
  if (!cache) caches.set(workflow, (cache = { skipped: new Map(), targets: new Map() }));
  return cache;
}

export function describeTarget(target: ResolvedTarget, count: number): string {
  const parts = [`step ${target.step + 1} of ${count}: queue '${target.queue}' at priority ${target.priority}`];
  if (target.worker) parts.push(`for agents where ${target.worker}`);
  if (target.timeoutSeconds) parts.push(`next target after ${target.timeoutSeconds}s waiting`);
  return parts.join(', ');
}

/** The first matching filter's first target; later targets are for timeouts and escalation (see RoutingEngine). */
export function selectTarget(workflow: Workflow, ticket: TicketAttributes): RoutingDecision {
  const match = matchWorkflow(workflow, ticket);
  const target = match.targets[0];
  return {
    queue: target.queue,
    priority: target.priority,
    filter: match.filter,
    step: 0,
    ...(target.timeoutSeconds !== undefined ? { timeoutSeconds: target.timeoutSeconds } : {}),
    ...(target.worker !== undefined ? { workerExpression: target.worker } : {}),
    explanation: [...match.explanation, describeTarget(target, match.targets.length)],
  };
}
