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
      const words = wordsOf(cache, filter);
      explanation.push(words.matched, words.because);
      break;
    }
    explanation.push(skippedWhy(cache, filter, bindings));
  }
  if (!chosen) {
    chosen = workflow.default;
    explanation.push(wordsOf(cache, chosen).matched);
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

/** Values read by a filter's `when`, one level per name, down to why it was skipped. */
type SkippedTree = Map<unknown, SkippedTree | string>;

interface MatchCache {
  /** Per filter; at most `MAX_SKIPPED` reasons in all. */
  skipped: Map<Workflow['filters'][number], SkippedTree>;
  skippedCount: number;
  words: Map<object, { matched: string; because: string }>;
  targets: Map<object, Map<number, ResolvedTarget[]>>;
}
const MAX_SKIPPED = 10_000;
const caches = new WeakMap<Workflow, MatchCache>();
function cacheOf(workflow: Workflow): MatchCache {
  let cache = caches.get(workflow);
  if (!cache) caches.set(workflow, (cache = { skipped: new Map(), skippedCount: 0, words: new Map(), targets: new Map() }));
  return cache;
}

function wordsOf(cache: MatchCache, filter: Workflow['filters'][number] | Workflow['default']): { matched: string; because: string } {
  let words = cache.words.get(filter);
  if (!words) {
    const matched = 'when' in filter ? `filter '${filter.name}' matched` : `no filter matched: default '${filter.name}'`;
    cache.words.set(filter, (words = { matched, because: 'when' in filter ? `because ${filter.when}` : '' }));
  }
  return words;
}

/** The same values give the same words: most tickets repeat a handful of combinations, so each is explained once. */
function skippedWhy(cache: MatchCache, filter: Workflow['filters'][number], bindings: Bindings): string {
  const names = filter.whenExpr.names;
  let node = cache.skipped.get(filter);
  if (!node) cache.skipped.set(filter, (node = new Map()));
  for (let i = 0; ; i++) {
    // Lists are told apart by their items (`String`), everything else by itself.
    const raw = names.length ? bindings[names[i]] : undefined;
    const value = typeof raw === 'object' && raw !== null ? String(raw) : raw;
    const next: SkippedTree | string | undefined = node.get(value);
    if (i >= names.length - 1) {
      if (typeof next === 'string') return next;
      const why = `filter '${filter.name}' skipped: ${filter.whenExpr.explainFalse(bindings)}`;
      if (cache.skippedCount < MAX_SKIPPED) {
        cache.skippedCount++;
        node.set(value, why);
      }
      return why;
    }
    if (next instanceof Map) node = next;
    else node.set(value, (node = new Map()));
  }
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
