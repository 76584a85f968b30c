// `npm test` and CI: fresh infra on OS-picked ports, build, every project's
// tests, then e2e; infra is always torn down, and data kept only on failure.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { ensureDeps } from './deps.mjs';
import { down, up } from './infra.mjs';
import { profilePaths, repoRoot } from './paths.mjs';
import { run, signalForeground } from './processes.mjs';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// Jest prints "Tests: 1 failed, 2 skipped, 40 passed, 43 total" per run; the
// sum across projects becomes one closing line CI can read.
function countingPrinter(counts) {
  return (line, stream) => {
    (stream === 'stderr' ? process.stderr : process.stdout).write(line + '\n');
    const m = /\bTests:\s+(.*\d+ total)/.exec(line.replace(ANSI, ''));
    if (!m) return;
    counts.seen = true;
    for (const [, n, kind] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      counts[kind === 'todo' ? 'skipped' : kind] += Number(n);
    }
  };
}

// A start can fail for a passing reason (another program took a port between
// choosing and binding it); one more try on fresh ports, with the first error shown.
async function upWithOneRetry(profile) {
  try {
    return await up(profile, { osPorts: true });
  } catch (err) {
    console.error(`[test] infra up failed, trying once more on fresh ports: ${err.message}`);
    await down(profile, { wipe: true }).catch(() => {});
    return up(profile, { osPorts: true });
  }
}

export async function runTests() {
  const t0 = Date.now();
  const profile = `test-${process.pid}`;
  const phases = [];
  // Thrown errors are repeated after the summary: a log cut to its tail still says why.
  const reasons = [];
  const counts = { passed: 0, failed: 0, skipped: 0, seen: false };
  let firstFailure = 0;
  let interrupted = null;

  const onSignal = (sig) => {
    if (interrupted) return;
    interrupted = sig;
    console.error(`\n[test] ${sig}: stopping the running step, then tearing down infra...`);
    signalForeground(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Unit tests do not need the build, so a build error still lets them run
  // and report; e2e runs the built services and needs everything before it.
  // A prerequisite that failed or was skipped blocks what needs it: the chaos
  // phase once ran against a build that never happened.
  const blockedBy = (name) => {
    const p = phases.find((q) => q.name === name);
    if (!p) return undefined;
    if (p.code) return `${name} failed`;
    return p.note ? `${name} ${p.note.startsWith('skipped') ? 'skipped' : p.note}` : undefined;
  };
  async function phase(name, fn, { skip, needs = [] } = {}) {
    const blocker = needs.map(blockedBy).find(Boolean);
    if (skip || interrupted || blocker) {
      phases.push({ name, note: skip || (interrupted ? 'interrupted' : `skipped: ${blocker}`) });
      return;
    }
    console.error(`\n[test] ── ${name} ──`);
    const start = Date.now();
    let code;
    try {
      code = await fn();
    } catch (err) {
      console.error(`[test] ${name} failed: ${err.message}`);
      code = 1;
      reasons.push(`${name}: ${err.message}`);
    }
    phases.push({ name, ms: Date.now() - start, code });
    if (code && !firstFailure) firstFailure = code;
  }

  const childEnv = { ...process.env };
  if (process.stdout.isTTY && !('FORCE_COLOR' in childEnv)) childEnv.FORCE_COLOR = '1';
  // A background Nx daemon would outlive the run and can serve a stale project graph.
  if (!('NX_DAEMON' in childEnv)) childEnv.NX_DAEMON = 'false';
  const printer = countingPrinter(counts);
  const timeoutMs = Number(process.env.SWITCHBOARD_TEST_TIMEOUT_S || 1800) * 1000;
  let infraUp = false;

  try {
    await phase('deps', () => ensureDeps());
    await phase('infra up', async () => {
      const state = await upWithOneRetry(profile);
      infraUp = true;
      childEnv.KAFKA_BROKERS = state.kafkaBrokers;
      childEnv.MONGO_URL = state.mongoUrl;
      console.error(`[test] KAFKA_BROKERS=${state.kafkaBrokers} MONGO_URL=${state.mongoUrl}`);
      return 0;
    }, { needs: ['deps'] });
    await phase('build', () => run('npm', ['run', 'build'], { cwd: repoRoot, env: childEnv, group: true }), { needs: ['deps'] });
    // Types of specs (jest strips them unchecked) and the module-boundary rules live here.
    await phase('typecheck+lint', () => run('npm', ['run', '-s', 'check'], { cwd: repoRoot, env: childEnv, group: true, timeoutMs, name: 'npm run check' }), {
      skip: process.env.SKIP_CHECK === '1' ? 'SKIP_CHECK=1' : undefined,
      needs: ['deps'],
    });
    await phase(
      'unit+integration',
      () =>
        run('npx', ['nx', 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', '--skip-nx-cache'], {
          cwd: repoRoot,
          env: childEnv,
          onLine: printer,
          group: true,
          timeoutMs,
          name: 'nx run-many -t test',
        }),
      { skip: process.env.SKIP_UNIT === '1' ? 'SKIP_UNIT=1' : undefined, needs: ['deps', 'infra up'] },
    );
    const e2eConfig = join(repoRoot, 'test', 'e2e', 'jest.config.js');
    await phase(
      'e2e',
      () =>
        run('npx', ['jest', '-c', e2eConfig, '--runInBand'], {
          cwd: repoRoot,
          env: childEnv,
          onLine: printer,
          group: true,
          timeoutMs,
          name: 'e2e jest',
        }),
      {
        skip: process.env.SKIP_E2E === '1' ? 'SKIP_E2E=1' : !existsSync(e2eConfig) ? 'no test/e2e/jest.config.js' : undefined,
        needs: ['deps', 'infra up', 'build'],
      },
    );
    const browserConfig = join(repoRoot, 'test', 'browser', 'jest.config.js');
    const skipBrowser = process.env.SKIP_BROWSER === '1' ? 'SKIP_BROWSER=1' : !existsSync(browserConfig) ? 'no test/browser/jest.config.js' : undefined;
    await phase(
      'chromium',
      async () => {
        childEnv.CHROMIUM_PATH = await ensureChromium();
        console.error(`[test] CHROMIUM_PATH=${childEnv.CHROMIUM_PATH}`);
        return 0;
      },
      { skip: skipBrowser },
    );
    await phase(
      'browser',
      () =>
        run('npx', ['jest', '-c', browserConfig, '--runInBand'], {
          cwd: repoRoot,
          env: childEnv,
          onLine: printer,
          group: true,
          timeoutMs,
          name: 'browser jest',
        }),
      { skip: skipBrowser, needs: ['deps', 'infra up', 'build', 'chromium'] },
    );
    // Faults under load with its own broker and database (it kills them); one check in the closing count.
    const chaosScript = join(repoRoot, 'test', 'chaos', 'chaos.ts');
    await phase(
      'chaos',
      async () => {
        const code = await run('node', ['-r', './test/register-ts.js', chaosScript], {
          cwd: repoRoot,
          env: { ...childEnv, CHAOS_SIZE: process.env.CHAOS_SIZE || 'small' },
          group: true,
          timeoutMs: Number(process.env.SWITCHBOARD_CHAOS_TIMEOUT_S || 900) * 1000,
          name: 'chaos run',
        });
        counts.seen = true;
        counts[code ? 'failed' : 'passed'] += 1;
        return code;
      },
      {
        skip: process.env.SKIP_CHAOS === '1' ? 'SKIP_CHAOS=1' : !existsSync(chaosScript) ? 'no test/chaos' : undefined,
        needs: ['deps', 'build'],
      },
    );
  } finally {
    const start = Date.now();
    const { root, logs } = profilePaths(profile);
    try {
      await down(profile);
      const clean = !firstFailure && !interrupted;
      if (clean) rmSync(root, { recursive: true, force: true });
      else if (infraUp || existsSync(logs)) console.error(`[test] infra logs kept in ${logs}`);
      phases.push({ name: 'infra down', ms: Date.now() - start, code: 0 });
    } catch (err) {
      console.error(`[test] tearing down infra failed: ${err.message}`);
      phases.push({ name: 'infra down', ms: Date.now() - start, code: 1 });
      if (!firstFailure) firstFailure = 1;
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  console.error('\n[test] phase              time      result');
  for (const p of phases) {
    const result = p.note ?? (p.code ? `FAILED (exit ${p.code})` : 'ok');
    console.error(`[test] ${p.name.padEnd(18)} ${(p.ms === undefined ? '-' : seconds(p.ms)).padStart(8)}  ${result}`);
  }
  console.error(`[test] ${'total'.padEnd(18)} ${seconds(Date.now() - t0).padStart(8)}`);
  for (const reason of reasons) {
    const lines = reason.split('\n');
    console.error(`[test] why: ${lines.slice(0, 12).join('\n[test]   ')}${lines.length > 12 ? '\n[test]   ...' : ''}`);
  }
  if (counts.seen) {
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    console.log(`tests: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
  }
  if (interrupted) return firstFailure || 130;
  return firstFailure;
}
