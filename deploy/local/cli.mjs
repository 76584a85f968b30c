#!/usr/bin/env node
// Local development entry point: `node deploy/local/cli.mjs <command>`.
// Node built-ins only, so it works before `npm ci` has ever run.
import { parseArgs } from 'node:util';
import { down, envOf, status, up } from './infra.mjs';

const USAGE = `usage: node deploy/local/cli.mjs <command> [options]

  up     [--profile P]          start Kafka and MongoDB for profile P (default dev)
  down   [--profile P] [--wipe] stop them; --wipe also deletes .data/P
  status [--profile P]          show each component, pid, port and health
  env    [--profile P]          print 'export KAFKA_BROKERS=... MONGO_URL=...'
  start                         build and run the whole platform locally (Ctrl-C stops it)
  test                          build and run every test against fresh infra

env: KAFKA_BROKERS / MONGO_URL use existing servers instead of starting ours;
     KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, KAFKA_PARTITIONS (default 3);
     SWITCHBOARD_CACHE (default \${XDG_CACHE_HOME:-~/.cache}/switchboard);
     SKIP_UNIT=1 / SKIP_E2E=1 / SKIP_BROWSER=1 for 'test'; CHROMIUM_PATH for the
     browser tests (default /usr/bin/chromium, apt-get installed when missing).`;

function opts(args, extra = {}) {
  const { values } = parseArgs({
    args,
    options: { profile: { type: 'string', short: 'p', default: 'dev' }, ...extra },
    allowPositionals: false,
  });
  return values;
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up': {
      const { profile } = opts(rest);
      const t0 = Date.now();
      const state = await up(profile);
      const how = state.startedNow ? 'up' : state.kafka.managed || state.mongo.managed ? 'already up' : 'using external servers';
      console.error(`[infra] profile '${profile}' ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      console.log(`KAFKA_BROKERS=${state.kafkaBrokers}`);
      console.log(`MONGO_URL=${state.mongoUrl}`);
      return 0;
    }
    case 'down': {
      const { profile, wipe } = opts(rest, { wipe: { type: 'boolean', default: false } });
      await down(profile, { wipe });
      return 0;
    }
    case 'status': {
      const { profile } = opts(rest);
      const s = await status(profile);
      console.log(`profile ${s.profile}  (${s.dir})`);
      for (const r of s.rows) {
        const health = r.healthy === true ? 'healthy' : r.healthy === false ? 'NOT HEALTHY' : r.healthy;
        console.log(`  ${r.component.padEnd(18)} pid ${String(r.pid).padEnd(8)} port ${String(r.port).padEnd(8)} ${health}`);
      }
      return s.allHealthy ? 0 : 1;
    }
    case 'env': {
      const { profile } = opts(rest);
      const env = envOf(profile);
      if (!env) {
        console.error(`profile '${profile}' is not up; run: node deploy/local/cli.mjs up --profile ${profile}`);
        return 1;
      }
      for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${shellQuote(v)}`);
      return 0;
    }
    case 'start': {
      const { startPlatform } = await import('./platform.mjs');
      return startPlatform(rest);
    }
    case 'test': {
      const { runTests } = await import('./test-run.mjs');
      return runTests(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return cmd ? 0 : 2;
    default:
      console.error(`unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}

function shellQuote(v) {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  },
);
