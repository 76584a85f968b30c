import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WORKFLOW_YAML } from './default-workflow';
import { selectTarget, TicketAttributes } from './select-target';
import { parseWorkflow, WorkflowConfigError } from './workflow';

const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
const ticket = (over: Partial<TicketAttributes>): TicketAttributes => ({
  category: 'other',
  confidence: 0.9,
  triage: false,
  language: 'en',
  channel: 'inapp',
  urgency: [],
  ...over,
});

describe('default workflow', () => {
  it('is the checked-in YAML file', () => {
    expect(DEFAULT_WORKFLOW_YAML).toBe(readFileSync(join(__dirname, '../config/default-workflow.yaml'), 'utf8'));
  });

  it.each([
    ['login', 'account-access'],
    ['transaction_failed', 'payments'],
    ['account_security', 'trust-and-safety'],
    ['refund', 'refunds'],
    ['other', 'general'],
  ] as const)('sends %s to %s', (category, queue) => {
    expect(selectTarget(workflow, ticket({ category })).queue).toBe(queue);
  });

  it('sends low-confidence tickets to triage whatever the category', () => {
    const decision = selectTarget(workflow, ticket({ category: 'account_security', triage: true }));
    expect(decision).toMatchObject({ queue: 'triage', filter: 'low-confidence' });
  });

  it('puts trust and safety first and raises priority for urgency', () => {
    const security = selectTarget(workflow, ticket({ category: 'account_security' }));
    const others = (['login', 'transaction_failed', 'refund', 'other'] as const).map((c) => selectTarget(workflow, ticket({ category: c })).priority);
    expect(security.priority).toBeGreaterThan(Math.max(...others));
    const urgent = selectTarget(workflow, ticket({ category: 'account_security', urgency: ['takeover_in_progress'] }));
    expect(urgent.priority).toBeGreaterThan(security.priority);
    expect(urgent.explanation.join(' ')).toMatch(/urgency: takeover_in_progress/);
  });

  it('explains the filters it skipped and the one it chose', () => {
    expect(selectTarget(workflow, ticket({ category: 'refund' })).explanation).toEqual([
      "filter 'low-confidence' skipped: triage is false",
      "filter 'account-security' skipped: category is refund",
      "filter 'login' skipped: category is refund",
      "filter 'transaction-failed' skipped: category is refund",
      "filter 'refund' matched",
      "queue 'refunds' at priority 40",
    ]);
  });
});

describe('parseWorkflow', () => {
  it('lists every problem with its path', () => {
    const broken = DEFAULT_WORKFLOW_YAML.replace('queue: payments', 'queue: paymets').replace('category: refund', 'category: refunds');
    try {
      parseWorkflow(broken);
      throw new Error('expected a WorkflowConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowConfigError);
      expect((error as WorkflowConfigError).problems.join('\n')).toMatch(/filters\.4\.when\.category/);
    }
    expect(() => parseWorkflow(DEFAULT_WORKFLOW_YAML.replace('queue: payments', 'queue: paymets'))).toThrow(/filters\[3\]\.targets\[0\]\.queue: unknown queue 'paymets'/);
  });

  it('refuses YAML that is not YAML', () => {
    expect(() => parseWorkflow('queues: [')).toThrow(/not valid YAML/);
  });
});
