import { DEFAULT_WORKFLOW_YAML } from '../default-workflow';
import { parseWorkflow } from '../workflow';
import { AgentBehaviour, percentiles, simulate } from './simulate';
import { generateDay, parseTrafficJsonl, Traffic, TrafficFormatError, trafficToJsonl } from './traffic';

const T0 = Date.UTC(2026, 10, 24, 9);
const at = (s: number) => T0 + s * 1000;

const workflow = parseWorkflow(`
version: 1
queues: [{ id: chat, name: Chat, autoAccept: true }]
filters: []
default: { name: all, targets: [{ queue: chat, priority: 10 }] }
sla: [{ name: all, firstResponseSeconds: 120, resolutionSeconds: 900 }]
`);

/** Agents that always accept at once, so waits are exact. */
const instant: AgentBehaviour = { seed: 1, answerSeconds: [0, 0], rejectRate: 0, noAnswerRate: 0, backFromAwaySeconds: 60, logoffAfterSeconds: 0 };

describe('simulate', () => {
  it('replays tickets through the engine: waits, SLA attainment and utilisation', () => {
    const traffic: Traffic = {
      agents: [{ profile: { id: 'a1', capacity: { chat: 1 } }, shifts: [{ start: at(0), end: at(3600) }] }],
      tickets: [0, 10, 20].map((s, i) => ({
        id: `t${i}`,
        at: at(s),
        attributes: { category: 'other', confidence: 0.9, language: 'en', channel: 'inapp', urgency: [] },
        handleSeconds: 300,
        firstResponseSeconds: 30,
      })),
    };
    const report = simulate(workflow, traffic, instant);
    // One chat at a time, 300 s each: t0 waits 0, t1 waits 290, t2 waits 580.
    expect(report.wait).toMatchObject({ count: 3, p50: 290, max: 580 });
    expect(report.waitByQueue.chat.count).toBe(3);
    // First responses 30 s after assignment: t2's comes at 610 s, after its 120 s target.
    expect(report.firstResponse).toMatchObject({ met: 1, missed: 2, attainment: 0.3333 });
    expect(report.resolution).toMatchObject({ met: 3, missed: 0 });
    expect(report).toMatchObject({ tickets: 3, assigned: 3, resolved: 3, waitingAtEnd: 0 });
    // Busy for 900 s of a 3600 s shift with one chat slot (of 19 in all).
    expect(report.agents.occupancy).toBeCloseTo(0.25, 2);
    expect(report.agents.meanConversations).toBeCloseTo(0.25, 2);
    expect(report.offers).toMatchObject({ made: 3, autoAccepted: 3 });
  });

  it('is repeatable and accounts for every ticket of a generated day', () => {
    const traffic = generateDay({ tickets: 2000, seed: 3 });
    const a = simulate(parseWorkflow(DEFAULT_WORKFLOW_YAML), traffic);
    const b = simulate(parseWorkflow(DEFAULT_WORKFLOW_YAML), traffic);
    expect(a).toEqual(b);
    expect(a.tickets).toBe(2000);
    expect(a.assigned + Object.values(a.waitingReasons).reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(2000);
    expect(a.wait.p50).toBeLessThanOrEqual(a.wait.p90);
    expect(a.agents.occupancy).toBeGreaterThan(0);
    expect(a.agents.occupancy).toBeLessThanOrEqual(1);
    expect(a.firstResponse.attainment).toBeGreaterThan(0.5);
  });
});

describe('traffic', () => {
  it('generates the same day for the same seed, in time order, with agents in shifts', () => {
    const a = generateDay({ tickets: 500, seed: 9 });
    expect(generateDay({ tickets: 500, seed: 9 })).toEqual(a);
    expect(generateDay({ tickets: 500, seed: 10 })).not.toEqual(a);
    expect(a.tickets).toHaveLength(500);
    expect(a.tickets.every((t, i) => i === 0 || a.tickets[i - 1].at <= t.at)).toBe(true);
    expect(new Set(a.tickets.map((t) => t.attributes.category)).size).toBe(5);
    expect(a.agents.length).toBeGreaterThanOrEqual(12);
    expect(a.agents.every((g) => g.shifts.length === 1 && g.shifts[0].end - g.shifts[0].start === 8 * 3_600_000)).toBe(true);
  });

  it('round-trips through JSONL and reports every bad line', () => {
    const day = generateDay({ tickets: 50, seed: 2 });
    expect(parseTrafficJsonl(trafficToJsonl(day))).toEqual(day);
    const bad = '{"kind":"ticket","id":"x","at":"yesterday","attributes":{},"handleSeconds":1}\nnot json\n{"kind":"robot"}\n';
    expect(() => parseTrafficJsonl(bad)).toThrow(TrafficFormatError);
    expect(() => parseTrafficJsonl(bad)).toThrow(/line 1\.at: not a time[\s\S]*line 2: not JSON[\s\S]*line 3: kind must be/);
  });

  it('computes percentiles', () => {
    expect(percentiles([5, 1, 3, 2, 4])).toEqual({ count: 5, mean: 3, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(percentiles([])).toMatchObject({ count: 0 });
  });
});
