import { DEFAULT_WORKFLOW_YAML } from './default-workflow';
import { selectTarget, TicketAttributes } from './select-target';
import { parseWorkflow, WorkflowConfigError } from './workflow';

const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
const ticket = (over: Partial<TicketAttributes>): TicketAttributes => ({
  category: 'other',
  confidence: 0.9,
  language: 'en',
  channel: 'inapp',
  urgency: [],
  ...over,
});

describe('selectTarget with the default workflow', () => {
  it.each([
    ['login', 'account-access'],
    ['transaction_failed', 'payments'],
    ['account_security', 'trust-and-safety'],
    ['refund', 'refunds'],
    ['other', 'general'],
  ] as const)('sends %s to %s', (category, queue) => {
    expect(selectTarget(workflow, ticket({ category })).queue).toBe(queue);
  });

  it('sends low-confidence tickets to triage: below the workflow threshold, the ticket threshold, or when the caller says so', () => {
    expect(selectTarget(workflow, ticket({ category: 'refund', confidence: 0.5 }))).toMatchObject({ queue: 'triage', filter: 'low-confidence' });
    expect(selectTarget(workflow, ticket({ category: 'refund', confidence: 0.9, triageThreshold: 0.95 })).queue).toBe('triage');
    expect(selectTarget(workflow, ticket({ category: 'refund', confidence: 0.5, triageThreshold: 0.4 })).queue).toBe('refunds');
    expect(selectTarget(workflow, ticket({ category: 'account_security', triage: true })).queue).toBe('triage');
    expect(selectTarget(workflow, ticket({ category: 'account_security', confidence: 0.1, triage: false })).queue).toBe('trust-and-safety');
  });

  it('puts trust and safety first and raises priority for urgency', () => {
    const security = selectTarget(workflow, ticket({ category: 'account_security' }));
    const others = (['login', 'transaction_failed', 'refund', 'other'] as const).map((c) => selectTarget(workflow, ticket({ category: c })).priority);
    expect(security.priority).toBeGreaterThan(Math.max(...others));
    const urgent = selectTarget(workflow, ticket({ category: 'account_security', urgency: ['takeover_in_progress', 'money_lost'] }));
    expect(urgent.priority).toBe(security.priority + 40);
    expect(urgent.explanation.join(' ')).toMatch(/urgency: takeover_in_progress, money_lost/);
  });

  it('gives the step, its worker expression and timeout', () => {
    expect(selectTarget(workflow, ticket({ category: 'account_security' }))).toMatchObject({
      step: 0,
      timeoutSeconds: 120,
      workerExpression: 'ticket.language in languages and level >= 2',
    });
  });

  it('explains the filters it skipped and the one it chose', () => {
    expect(selectTarget(workflow, ticket({ category: 'refund' })).explanation).toEqual([
      "filter 'low-confidence' skipped: `triage` is false (triage is false)",
      "filter 'account-security' skipped: `category == 'account_security'` is false (category is 'refund')",
      "filter 'login' skipped: `category == 'login'` is false (category is 'refund')",
      "filter 'transaction-failed' skipped: `category == 'transaction_failed'` is false (category is 'refund')",
      "filter 'refund' matched",
      "because category == 'refund'",
      "step 1 of 2: queue 'refunds' at priority 40, for agents where ticket.language in languages, next target after 600s waiting",
    ]);
  });
});

describe('filters over every ticket attribute', () => {
  const yaml = `
version: 1
queues: [{ id: vip, name: VIP }, { id: id-email, name: Indonesian email }, { id: evidence, name: Evidence }, { id: rest, name: Rest }]
filters:
  - { name: vip, when: "customerTier == 'gold' and priority >= 5", targets: [{ queue: vip, priority: 90 }] }
  - { name: id-email, when: "language in ['id'] and channel == 'email'", targets: [{ queue: id-email, priority: 20 }] }
  - { name: evidence, when: "'transaction_id' in entities and 'amount' in entities", targets: [{ queue: evidence, priority: 30 }] }
  - { name: legacy, when: { category: [login, refund], urgency: money_lost }, targets: [{ queue: vip, priority: 1 }] }
default: { name: rest, targets: [{ queue: rest, priority: 0 }] }
`;
  const custom = parseWorkflow(yaml);
  it.each([
    [{ customerTier: 'gold', priority: 5 }, 'vip'],
    [{ customerTier: 'gold' }, 'rest'],
    [{ language: 'id', channel: 'email' }, 'id-email'],
    [{ entities: { amounts: [{ value: 1, currency: 'IDR', text: 'Rp1' }], transactionIds: ['TX1'] } }, 'evidence'],
    [{ entities: { amount: true, transaction_id: true } }, 'evidence'],
    [{ entities: { amount: true } }, 'rest'],
    [{ category: 'refund', urgency: ['money_lost'] }, 'vip'],
  ] as [Partial<TicketAttributes>, string][])('%j goes to %s', (over, queue) => {
    expect(selectTarget(custom, ticket(over)).queue).toBe(queue);
  });
});

describe('parseWorkflow', () => {
  it('lists every problem with its path', () => {
    const broken = DEFAULT_WORKFLOW_YAML.replace('queue: payments', 'queue: paymets').replace("category == 'refund'", "category == 'refunds'").replace('level >= 2', 'levle >= 2');
    let error: unknown;
    try {
      parseWorkflow(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowConfigError);
    expect((error as WorkflowConfigError).problems).toEqual([
      "filters[1].targets[0].worker: unknown attribute 'levle' (did you mean 'level'?) at column 34 in `ticket.language in languages and levle >= 2`",
      "filters[3].targets[0].queue: unknown queue 'paymets' (did you mean 'payments'?)",
      "filters[4].when: 'refunds' is not a known category value (login, transaction_failed, account_security, refund, other) at column 13 in `category == 'refunds'`",
    ]);
  });

  it('reports schema problems with their paths', () => {
    expect(() => parseWorkflow('version: 1\nqueues: [{ id: Bad Id, name: x }]\nfilters: [{ name: a, targets: [] }]\ndefault: { name: d, targets: [{ queue: x, priority: -1 }] }')).toThrow(
      /queues\[0\]\.id: lower-case letters[\s\S]*filters\[0\]\.when: Required[\s\S]*filters\[0\]\.targets: Array must contain at least 1[\s\S]*default\.targets\[0\]\.priority/,
    );
  });

  it('refuses YAML that is not YAML', () => {
    expect(() => parseWorkflow('queues: [')).toThrow(/not valid YAML/);
  });
});
