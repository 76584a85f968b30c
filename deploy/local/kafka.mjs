import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, localDir } from './paths.mjs';
import { capture, requireCommand, spawnDetached } from './processes.mjs';
import { tcpExchange } from './ports.mjs';

export const KAFKA_VERSION = '4.1.1';
export const STARTED_LINE = 'Kafka Server started';

const pomPath = join(localDir, 'pom.xml');
const log4jConfig = join(localDir, 'log4j2.properties');

export async function ensureJava() {
  requireCommand('java', 'to run the local Kafka broker (install a JDK, version 17 or newer)');
  const { stderr, stdout } = await capture('java', ['-version']);
  const m = /version "(\d+)(?:\.(\d+))?/.exec(stderr + stdout);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major && major < 17) {
    throw new Error(`Kafka ${KAFKA_VERSION} needs Java 17 or newer; 'java -version' reports ${major}.`);
  }
}

// The classpath file is keyed by the pom's content so editing the pom (say, a
// Kafka upgrade) fetches again, while an unchanged pom costs one stat per jar.
export async function ensureClasspath(log) {
  const pom = readFileSync(pomPath);
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 12);
  const dir = join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const file = join(dir, `classpath-${key}.txt`);
  if (existsSync(file)) {
    const cp = readFileSync(file, 'utf8').trim();
    if (cp && cp.split(':').every((jar) => existsSync(jar))) return cp;
  }
  requireCommand('mvn', `once, to fetch Kafka ${KAFKA_VERSION} jars from Maven Central (install Maven)`);
  mkdirSync(dir, { recursive: true });
  log(`fetching Kafka ${KAFKA_VERSION} jars with Maven (first run only)...`);
  const tmp = `${file}.${process.pid}.tmp`;
  const res = await capture('mvn', [
    '-q',
    '-B',
    '-f',
    pomPath,
    'dependency:build-classpath',
    `-Dmdep.outputFile=${tmp}`,
  ]);
  if (res.code !== 0 || !existsSync(tmp)) {
    throw new Error(`Maven could not resolve Kafka's jars (exit ${res.code}):\n${(res.stdout + res.stderr).trim()}`);
  }
  renameSync(tmp, file);
  return readFileSync(file, 'utf8').trim();
}

function serverProperties({ dataDir, port, controllerPort, partitions }) {
  return `# Written by deploy/local/kafka.mjs on every start; edits here are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
num.partitions=${partitions}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
`;
}

// Kafka's cluster ids are 16 random bytes in unpadded base64url.
function newClusterId() {
  return randomBytes(16).toString('base64url');
}

export function kafkaCommandNeedle(kafkaDir) {
  return join(kafkaDir, 'server.properties');
}

export async function startKafka({ classpath, kafkaDir, logFile, port, controllerPort, partitions }) {
  const dataDir = join(kafkaDir, 'data');
  const propsFile = kafkaCommandNeedle(kafkaDir);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(propsFile, serverProperties({ dataDir, port, controllerPort, partitions }));

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const res = await capture('java', [
      '-cp',
      classpath,
      `-Dlog4j2.configurationFile=${log4jConfig}`,
      'kafka.tools.StorageTool',
      'format',
      // `=`: an id is base64url and starts with '-' one time in 64, which the tool's argument
      // parser would take for an option ("argument --cluster-id/-t: expected one argument").
      `--cluster-id=${newClusterId()}`,
      `--config=${propsFile}`,
      '--ignore-formatted',
    ]);
    if (res.code !== 0) {
      rmSync(join(dataDir, 'meta.properties'), { force: true });
      throw new Error(`formatting Kafka storage failed (exit ${res.code}):\n${(res.stdout + res.stderr).trim()}`);
    }
  }

  return spawnDetached(
    'java',
    [
      '-Xmx512m',
      '-Xms256m',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jConfig}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      propsFile,
    ],
    { cwd: kafkaDir, env: process.env, logFile },
  );
}

// A real protocol round trip (ApiVersions v0) instead of a bare TCP connect,
// so "healthy" means the broker's request handlers are answering.
export async function kafkaAnswers(port, host = '127.0.0.1') {
  const clientId = Buffer.from('switchboard-health');
  const correlationId = 0x5b0a;
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  try {
    const reply = await tcpExchange({
      port,
      host,
      request: Buffer.concat([size, body]),
      isComplete: (b) => b.length >= 4 && b.length >= 4 + b.readInt32BE(0),
    });
    if (reply.readInt32BE(4) !== correlationId) return false;
    const errorCode = reply.readInt16BE(8);
    // 35 = UNSUPPORTED_VERSION: still a live broker, just one that wants a newer request.
    return errorCode === 0 || errorCode === 35;
  } catch {
    return false;
  }
}
