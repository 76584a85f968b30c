import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WORKFLOW_YAML } from './default-workflow';
import { parseWorkflow } from './workflow';

describe('default workflow', () => {
  it('is the checked-in YAML file (regenerate with node libs/routing/scripts/embed-default-workflow.js)', () => {
    expect(DEFAULT_WORKFLOW_YAML).toBe(readFileSync(join(__dirname, '../config/default-workflow.yaml'), 'utf8'));
  });

  it('parses', () => {
    const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
    expect(workflow.queues.map((q) => q.id)).toEqual(['triage', 'trust-and-safety', 'account-access', 'payments', 'refunds', 'general']);
    expect(workflow.capacity).toEqual({ email: 8, chat: 3, sms: 5, social: 5 });
  });
});
