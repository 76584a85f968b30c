import { DEFAULT_WORKFLOW_YAML } from './default-workflow';
import { validateWorkflowSource } from './workflow';

describe('validateWorkflowSource', () => {
  it('accepts the default workflow', () => {
    const result = validateWorkflowSource(DEFAULT_WORKFLOW_YAML);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.workflow.queues.map((q) => q.id)).toContain('refunds');
  });

  it('lists every problem with its path: unknown queue, bad expression with its column, bad hours', () => {
    const source = DEFAULT_WORKFLOW_YAML.replace('{ queue: refunds, priority: 40 }', '{ queue: refundz, priority: 40 }')
      .replace("when: category == 'login'", "when: category = 'login'")
      .replace('- { id: general, name: General }', "- { id: general, name: General, hours: { timezone: Mars/Olympus, weekly: { mon: '9-5' } } }");
    const result = validateWorkflowSource(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e.message]));
    expect(byPath['filters[4].targets[1].queue']).toMatch(/unknown queue 'refundz' \(did you mean 'refunds'\?\)/);
    expect(byPath['filters[2].when']).toMatch(/column \d+/);
    expect(byPath['queues[5].hours.timezone']).toMatch(/unknown time zone 'Mars\/Olympus'/);
    expect(byPath['queues[5].hours.weekly.mon[0]']).toMatch(/not a span/);
  });

  it('reports YAML that does not parse, and schema problems, with a path', () => {
    expect(validateWorkflowSource('queues: [')).toEqual({ ok: false, errors: [{ path: '(root)', message: expect.stringMatching(/not valid YAML/) }] });
    const result = validateWorkflowSource('version: 1\nqueues: []\nfilters: []\ndefault: { name: d, targets: [] }\nsurprise: true');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['queues', 'default.targets', '(root)']));
  });
});
