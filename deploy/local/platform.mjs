// `npm start`: infra, build, every service from services.json with prefixed
// output, health checks, demo data, then wait for Ctrl-C and shut down in order.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { ensureDeps } from './deps.mjs';
import { down, up } from './infra.mjs';
import { localDir, repoRoot } from './paths.mjs';
import { pipeLines, run, signalForeground, sleep, stopProcess } from './processes.mjs';

const PROFILE = 'dev';
const HEALTH_TIMEOUT_MS = 60_000;
const COLORS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

function log(m) {
  console.error(`[start] ${m}`);
}

function loadServices() {
  const file = join(localDir, 'services.json');
  if (!existsSync(file)) {
    log(`warning: ${file} does not exist yet; starting infrastructure only`);
    return [];
  }
  const list = JSON.parse(readFileSync(file, 'utf8'));
  return list.filter((svc) => {
    const entry = resolve(repoRoot, svc.entry);
    if (existsSync(entry)) return true;
    log(`warning: skipping ${svc.name}: ${svc.entry} does not exist (not built yet?)`);
    return false;
  });
}

function healthOk(port) {
  return new Promise((ok) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (res) => {
      res.resume();
      ok(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => ok(false));
  });
}

export async function startPlatform() {
  const running = new Map();
  let stopping = false;
  let signalled = false;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));

  const onSignal = (sig) => {
    if (signalled) return log(`${sig} again; still shutting down...`);
    signalled = true;
    log(`${sig}: shutting down`);
    signalForeground(sig);
    resolveDone({ code: 0 });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last resort if this process dies abruptly: services are in their own
  // process groups so the terminal's Ctrl-C does not race our ordered shutdown.
  const killAllSync = () => {
    for (const child of running.values()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.on('exit', killAllSync);

  let code = await ensureDeps();
  if (code || signalled) return signalled ? 0 : code;

  const state = await up(PROFILE);
  // Leave infra running on exit if it was already running before `start`:
  // someone else (an `infra up`, another terminal) is relying on it.
  const ownInfra = state.startedNow;
  const env = { ...process.env, KAFKA_BROKERS: state.kafkaBrokers, MONGO_URL: state.mongoUrl };

  async function shutdown() {
    stopping = true;
    await Promise.all([...running.entries()].map(([name, child]) => stopProcess(child.pid).then((how) => log(`${name}: ${how}`))));
    running.clear();
    if (ownInfra) await down(PROFILE);
    else log(`infra profile '${PROFILE}' was already running before start; leaving it up`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killAllSync);
  }

  try {
    if (signalled) return 0;
    code = await run('npm', ['run', 'build'], { cwd: repoRoot, env, group: true });
    if (signalled) return 0;
    if (code) {
      log(`build failed (exit ${code})`);
      return code;
    }

    const services = loadServices();
    const width = Math.max(0, ...services.map((s) => s.name.length));
    const tty = process.stdout.isTTY;
    services.forEach((svc, i) => {
      const label = svc.name.padEnd(width);
      const prefix = tty ? `\x1b[${COLORS[i % COLORS.length]}m${label}\x1b[0m │ ` : `${label} │ `;
      // `nodeArgs` lets a TypeScript helper (the sandbox of fake providers) run through the require hook.
      const child = spawn(process.execPath, [...(svc.nodeArgs || []), resolve(repoRoot, svc.entry)], {
        cwd: repoRoot,
        env: { ...(svc.env || {}), ...env, [svc.portEnv || 'PORT']: String(svc.port), ...(tty && !('FORCE_COLOR' in env) ? { FORCE_COLOR: '1' } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      pipeLines(child.stdout, (l) => process.stdout.write(prefix + l + '\n'));
      pipeLines(child.stderr, (l) => process.stderr.write(prefix + l + '\n'));
      child.once('exit', (c, sig) => {
        running.delete(svc.name);
        if (stopping) return;
        log(`${svc.name} exited unexpectedly (${sig ? `signal ${sig}` : `exit ${c}`}); stopping everything`);
        resolveDone({ code: c || 1 });
      });
      running.set(svc.name, child);
    });

    const healthy = await Promise.race([
      Promise.all(
        services.map(async (svc) => {
          const deadline = Date.now() + HEALTH_TIMEOUT_MS;
          while (Date.now() < deadline) {
            if (!running.has(svc.name)) return false;
            if (await healthOk(svc.port)) return true;
            await sleep(300);
          }
          log(`${svc.name} did not answer GET /health with 200 within ${HEALTH_TIMEOUT_MS / 1000} s`);
          return false;
        }),
      ).then((all) => all.every(Boolean)),
      done.then(() => false),
    ]);
    if (!healthy) {
      const early = await Promise.race([done, sleep(0).then(() => null)]);
      return early ? early.code : 1;
    }

    const demo = join(localDir, 'demo.mjs');
    if (existsSync(demo)) {
      log('seeding demo data (deploy/local/demo.mjs)');
      const demoCode = await run(process.execPath, [demo], { cwd: repoRoot, env, group: true });
      if (signalled) return 0;
      if (demoCode) {
        log(`demo.mjs failed (exit ${demoCode})`);
        return demoCode;
      }
    }

    console.log('');
    console.log(`Switchboard is running (KAFKA_BROKERS=${state.kafkaBrokers}, MONGO_URL=${state.mongoUrl})`);
    for (const svc of services) console.log(`  ${svc.name.padEnd(width)}  ${svc.url || `http://127.0.0.1:${svc.port}/`}`);
    console.log('Press Ctrl-C to stop.');
    return (await done).code;
  } finally {
    await shutdown();
  }
}
