// Replays a day of traffic through the routing engine and prints waits, SLA attainment and agent
// utilisation.
//
//   npm run simulate -- [--workflow file.yaml] [--traffic day.jsonl] [--tickets 100000] [--seed 1]
//                       [--staffing 1.3] [--write day.jsonl] [--json]
//
// Without --traffic a day is generated (--tickets, --seed, --staffing); --write saves it as JSONL.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_WORKFLOW_YAML, formatReport, generateDay, parseTrafficJsonl, parseWorkflow, simulate, trafficToJsonl } from '@switchboard/routing';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const workflowFile = option('workflow');
  const workflow = parseWorkflow(workflowFile ? readFileSync(workflowFile, 'utf8') : DEFAULT_WORKFLOW_YAML);
  const trafficFile = option('traffic');
  const started = performance.now();
  const traffic = trafficFile
    ? parseTrafficJsonl(readFileSync(trafficFile, 'utf8'))
    : generateDay({ tickets: Number(option('tickets') ?? 100_000), seed: Number(option('seed') ?? 1), staffing: Number(option('staffing') ?? 1.3) });
  const loaded = performance.now();
  const out = option('write');
  if (out) writeFileSync(out, trafficToJsonl(traffic));
  const report = simulate(workflow, traffic);
  const done = performance.now();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(`workflow: ${workflowFile ?? 'default'}; traffic: ${trafficFile ?? `generated (${traffic.tickets.length} tickets, ${traffic.agents.length} agents)`}${out ? `, written to ${out}` : ''}\n`);
  process.stdout.write(`${formatReport(report)}\n`);
  process.stdout.write(`run time: ${((done - loaded) / 1000).toFixed(2)} s simulating (${Math.round(report.events / ((done - loaded) / 1000))} events/s), ${((loaded - started) / 1000).toFixed(2)} s ${trafficFile ? 'reading' : 'generating'} traffic\n`);
}

main();
