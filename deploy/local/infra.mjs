// Lifecycle of one profile's Kafka and MongoDB-wire server: up, down, status, env.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureClasspath, ensureJava, kafkaAnswers, kafkaCommandNeedle, startKafka, STARTED_LINE } from './kafka.mjs';
import { ensureFerretdb, mongoCommandNeedle, mongoKind, mongoUrl, startMongo } from './mongo.mjs';
import { mongoAnswers } from './mongo-wire.mjs';
import { profilePaths } from './paths.mjs';
import { canBind, freePorts } from './ports.mjs';
import { fileSize, isAlive, pidMatches, readFrom, sleep, stopProcess, tailFile, which } from './processes.mjs';

const DEV_PORTS = { kafka: 9092, controller: 9093, mongo: 27017 };

function upTimeoutMs() {
  return Number(process.env.SWITCHBOARD_UP_TIMEOUT_S || 90) * 1000;
}

export function readState(profile) {
  const { state } = profilePaths(profile);
  try {
    return JSON.parse(readFileSync(state, 'utf8'));
  } catch {
    return null;
  }
}

function writeState(profile, data) {
  const { state } = profilePaths(profile);
  const tmp = `${state}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...data, updatedAt: new Date().toISOString() }, null, 2) + '\n');
  renameSync(tmp, state);
}

// Two `up`s of one profile at once (say `npm start` while `infra up` runs)
// would both spawn brokers on the same data dir; a lock file with the owner's
// pid serialises them and is ignored once that owner is gone.
async function withProfileLock(profile, fn) {
  const { root } = profilePaths(profile);
  mkdirSync(root, { recursive: true });
  const lock = join(root, '.lock');
  const deadline = Date.now() + upTimeoutMs() + 30_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lock, 'utf8').trim() || 0);
      if (!owner || !isAlive(owner)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`profile '${profile}' is locked by pid ${owner}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function kafkaRunning(profile, k) {
  return Boolean(k?.managed && k.pid && pidMatches(k.pid, kafkaCommandNeedle(profilePaths(profile).kafka)));
}

function mongoRunning(profile, m) {
  return Boolean(m?.managed && m.pid && pidMatches(m.pid, mongoCommandNeedle(profilePaths(profile).mongo)));
}

function envPort(name) {
  const v = process.env[name];
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${v} is not a port number`);
  return n;
}

// dev gets the well-known ports people expect; every other profile gets
// ports from the OS so several can run side by side. Env vars override both,
// except for throwaway test profiles, which must never collide with anything.
async function choosePorts(profile, prev, { osPorts = false } = {}) {
  const fixed = osPorts ? {} : {
    kafka: envPort('KAFKA_PORT') ?? (profile === 'dev' ? DEV_PORTS.kafka : undefined),
    controller: envPort('KAFKA_CONTROLLER_PORT') ?? (profile === 'dev' ? DEV_PORTS.controller : undefined),
    mongo: envPort('MONGO_PORT') ?? (profile === 'dev' ? DEV_PORTS.mongo : undefined),
  };
  const keys = ['kafka', 'controller', 'mongo'];
  const remembered = { kafka: prev?.kafka?.port, controller: prev?.kafka?.controllerPort, mongo: prev?.mongo?.port };
  const ports = {};
  for (const key of keys) {
    if (fixed[key]) ports[key] = { port: fixed[key], fixed: true };
    else if (remembered[key] && (await canBind(remembered[key]))) ports[key] = { port: remembered[key], fixed: false };
  }
  const missing = keys.filter((k) => !ports[k]);
  const fresh = await freePorts(missing.length);
  missing.forEach((k, i) => (ports[k] = { port: fresh[i], fixed: false }));
  return ports;
}

async function assertFree(what, port, hint) {
  if (!(await canBind(port))) {
    throw new Error(`port ${port} (${what}) is already in use by another program, not by this profile's infra.\n  ${hint}`);
  }
}

async function waitHealthy({ name, pid, logFile, check }) {
  const deadline = Date.now() + upTimeoutMs();
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new Error(`${name} (pid ${pid}) exited during startup. Last lines of ${logFile}:\n${tailFile(logFile)}`);
    }
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(
    `${name} (pid ${pid}) was not healthy after ${upTimeoutMs() / 1000} s. Last lines of ${logFile}:\n${tailFile(logFile)}`,
  );
}

// KAFKA_BROKERS / MONGO_URL mean "use that server instead of ours". After
// `eval "$(... env)"` they point at this profile's own servers, which must stay
// recorded as ours, or a later `down` could no longer stop them.
function externalUnlessOurs(name, profile, comp, running, address) {
  const value = process.env[name];
  if (!value || !running(profile, comp)) return value;
  if (value === address(comp)) return undefined;
  throw new Error(
    `${name}=${value} is set, but profile '${profile}' already runs its own server at ${address(comp)} (pid ${comp.pid}).\n` +
      `  Stop it first (down --profile ${profile}) or unset ${name}.`,
  );
}

export async function up(profile, { log = (m) => console.error(`[infra] ${m}`), osPorts = false } = {}) {
  return withProfileLock(profile, () => upLocked(profile, log, osPorts));
}

async function upLocked(profile, log, osPorts) {
  const paths = profilePaths(profile);
  mkdirSync(paths.logs, { recursive: true });
  const prev = readState(profile) ?? {};
  const externalKafka = externalUnlessOurs('KAFKA_BROKERS', profile, prev.kafka, kafkaRunning, (k) => `127.0.0.1:${k.port}`);
  const externalMongo = externalUnlessOurs('MONGO_URL', profile, prev.mongo, mongoRunning, (m) => mongoUrl(m.port));

  const kafkaUp = !externalKafka && kafkaRunning(profile, prev.kafka);
  const mongoUp = !externalMongo && mongoRunning(profile, prev.mongo);
  const needKafka = !externalKafka && !kafkaUp;
  const needMongo = !externalMongo && !mongoUp;

  const ports = await choosePorts(profile, prev, { osPorts });
  const kafkaState = externalKafka
    ? { managed: false, brokers: externalKafka }
    : kafkaUp
      ? prev.kafka
      : { managed: true, port: ports.kafka.port, controllerPort: ports.controller.port };
  const mongoState = externalMongo ? { managed: false, url: externalMongo } : mongoUp ? prev.mongo : { managed: true, port: ports.mongo.port };

  if (needKafka) {
    const hint = `Stop it, pick other ports with KAFKA_PORT=... KAFKA_CONTROLLER_PORT=..., or use that broker with KAFKA_BROKERS=127.0.0.1:${kafkaState.port}.`;
    await assertFree('Kafka', kafkaState.port, hint);
    await assertFree('Kafka controller', kafkaState.controllerPort, hint);
  }
  if (needMongo) {
    await assertFree('MongoDB', mongoState.port, `Stop it, pick another port with MONGO_PORT=..., or use that server with MONGO_URL=${mongoUrl(mongoState.port)}.`);
  }

  // Fetching jars and building FerretDB are independent and slow when cold.
  const [classpath, mongoBinary] = await Promise.all([
    needKafka ? ensureJava().then(() => ensureClasspath(log)) : null,
    needMongo ? (mongoKind() === 'mongod' ? which('mongod') : ensureFerretdb(log)) : null,
  ]);

  const started = [];
  const state = { profile, kafka: kafkaState, mongo: mongoState };
  const waits = [];
  try {
    if (needKafka) {
      const logFile = join(paths.logs, 'kafka.log');
      const offset = fileSize(logFile);
      const partitions = Number(process.env.KAFKA_PARTITIONS || 3);
      log(`starting Kafka on 127.0.0.1:${kafkaState.port}`);
      kafkaState.pid = await startKafka({
        classpath,
        kafkaDir: paths.kafka,
        logFile,
        port: kafkaState.port,
        controllerPort: kafkaState.controllerPort,
        partitions,
      });
      Object.assign(kafkaState, { partitions, log: logFile, startedAt: new Date().toISOString() });
      started.push(kafkaState.pid);
      writeState(profile, state);
      waits.push(
        waitHealthy({
          name: 'Kafka',
          pid: kafkaState.pid,
          logFile,
          check: async () => readFrom(logFile, offset).includes(STARTED_LINE) && (await kafkaAnswers(kafkaState.port)),
        }),
      );
    } else if (kafkaUp) {
      log(`Kafka already running (pid ${kafkaState.pid}, port ${kafkaState.port})`);
      waits.push(waitHealthy({ name: 'Kafka', pid: kafkaState.pid, logFile: kafkaState.log, check: () => kafkaAnswers(kafkaState.port) }));
    } else {
      log(`KAFKA_BROKERS is set; using ${externalKafka}`);
      waits.push(warnIfSilent('KAFKA_BROKERS', externalKafka, externalKafkaAnswers(externalKafka), log));
    }

    if (needMongo) {
      const logFile = join(paths.logs, 'mongo.log');
      const kind = mongoKind();
      log(`starting ${kind} on 127.0.0.1:${mongoState.port}`);
      mongoState.pid = startMongo({ kind, binary: mongoBinary, mongoDir: paths.mongo, logFile, port: mongoState.port });
      Object.assign(mongoState, { kind, log: logFile, startedAt: new Date().toISOString() });
      started.push(mongoState.pid);
      writeState(profile, state);
      waits.push(waitHealthy({ name: kind, pid: mongoState.pid, logFile, check: () => mongoAnswers(mongoState.port) }));
    } else if (mongoUp) {
      log(`${mongoState.kind} already running (pid ${mongoState.pid}, port ${mongoState.port})`);
      waits.push(waitHealthy({ name: mongoState.kind, pid: mongoState.pid, logFile: mongoState.log, check: () => mongoAnswers(mongoState.port) }));
    } else {
      log(`MONGO_URL is set; using it`);
      waits.push(warnIfSilent('MONGO_URL', externalMongo, externalMongoAnswers(externalMongo), log));
    }

    const results = await Promise.allSettled(waits);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    // Do not leave half a profile running: stop what this call started.
    await Promise.all(started.map((pid) => stopProcess(pid)));
    if (started.includes(kafkaState.pid)) delete kafkaState.pid;
    if (started.includes(mongoState.pid)) delete mongoState.pid;
    writeState(profile, state);
    throw err;
  }

  state.kafkaBrokers = externalKafka || `127.0.0.1:${kafkaState.port}`;
  state.mongoUrl = externalMongo || mongoUrl(mongoState.port);
  writeState(profile, state);
  return { ...state, startedNow: started.length > 0 };
}

// External servers are the user's business (they may need TLS or auth our
// probes do not speak), so silence is a warning, not a failure. The usual
// cause is a shell still holding exports from a profile that is now down.
async function warnIfSilent(name, value, answers, log) {
  if (await answers) return;
  log(`warning: ${name}=${value} is set but nothing answered there; is it left over from an earlier 'eval "$(... env)"'?`);
}

function hostPort(address, defaultPort) {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(address.trim());
  return m ? { host: m[1], port: Number(m[2] || defaultPort) } : null;
}

function externalKafkaAnswers(brokers) {
  const hp = hostPort(brokers.split(',')[0], 9092);
  return hp ? kafkaAnswers(hp.port, hp.host) : Promise.resolve(false);
}

function externalMongoAnswers(url) {
  const m = /^mongodb:\/\/(?:[^@/]*@)?([^/,?]+)/.exec(url);
  const hp = m && hostPort(m[1], 27017);
  // mongodb+srv and TLS URLs cannot be probed without a driver; assume fine.
  if (!hp || /tls=true|ssl=true/i.test(url)) return Promise.resolve(true);
  return mongoAnswers(hp.port, hp.host);
}

export async function down(profile, { wipe = false, log = (m) => console.error(`[infra] ${m}`) } = {}) {
  const paths = profilePaths(profile);
  const state = readState(profile);
  if (!state) {
    log(`profile '${profile}' has no infra.json; nothing to stop`);
  } else {
    const stops = [];
    const comps = [
      ['Kafka', state.kafka, kafkaCommandNeedle(paths.kafka)],
      [state.mongo?.kind || 'mongo', state.mongo, mongoCommandNeedle(paths.mongo)],
    ];
    for (const [name, comp, needle] of comps) {
      if (!comp?.managed || !comp.pid) continue;
      if (!isAlive(comp.pid)) {
        delete comp.pid;
        continue;
      }
      if (!pidMatches(comp.pid, needle)) {
        log(`pid ${comp.pid} recorded for ${name} is now some other program; leaving it alone`);
        delete comp.pid;
        continue;
      }
      const pid = comp.pid;
      stops.push(
        stopProcess(pid).then((how) => {
          log(`${name} (pid ${pid}): ${how}`);
          delete comp.pid;
        }),
      );
    }
    await Promise.all(stops);
    delete state.kafkaBrokers;
    delete state.mongoUrl;
    if (!wipe) writeState(profile, state);
  }
  if (wipe && existsSync(paths.root)) {
    rmSync(paths.root, { recursive: true, force: true });
    log(`removed ${paths.root}`);
  }
}

export async function status(profile) {
  const state = readState(profile);
  const rows = [];
  const paths = profilePaths(profile);
  const kafka = state?.kafka ?? (process.env.KAFKA_BROKERS ? { managed: false, brokers: process.env.KAFKA_BROKERS } : null);
  const mongo = state?.mongo ?? (process.env.MONGO_URL ? { managed: false, url: process.env.MONGO_URL } : null);

  if (kafka?.managed) {
    const running = kafkaRunning(profile, kafka);
    rows.push({ component: 'kafka', pid: running ? kafka.pid : '-', port: kafka.port, healthy: running && (await kafkaAnswers(kafka.port)) });
  } else if (kafka) {
    rows.push({ component: 'kafka (external)', pid: '-', port: kafka.brokers, healthy: await externalKafkaAnswers(kafka.brokers) });
  } else {
    rows.push({ component: 'kafka', pid: '-', port: '-', healthy: false });
  }

  if (mongo?.managed) {
    const running = mongoRunning(profile, mongo);
    rows.push({ component: mongo.kind || 'mongo', pid: running ? mongo.pid : '-', port: mongo.port, healthy: running && (await mongoAnswers(mongo.port)) });
  } else if (mongo) {
    rows.push({
      component: 'mongo (external)',
      pid: '-',
      port: mongo.url.replace(/\/\/[^@/]*@/, '//***@'),
      healthy: await externalMongoAnswers(mongo.url),
    });
  } else {
    rows.push({ component: 'mongo', pid: '-', port: '-', healthy: false });
  }
  return { profile, dir: paths.root, rows, allHealthy: rows.every((r) => r.healthy !== false) };
}

export function envOf(profile) {
  const state = readState(profile);
  const kafkaBrokers = process.env.KAFKA_BROKERS || state?.kafkaBrokers;
  const mongoUrlValue = process.env.MONGO_URL || state?.mongoUrl;
  if (!kafkaBrokers || !mongoUrlValue) return null;
  return { KAFKA_BROKERS: kafkaBrokers, MONGO_URL: mongoUrlValue };
}
