// Operator command: list the dead-letter topic and put entries back on the topics they came from.
//   node dist/libs/messaging/src/cli/replay-dead-letters.js [--dry-run] [--reason handler|invalid|all] [--origin <topic>] [--group <consumer group>]
// Reads KAFKA_BROKERS and KAFKA_TOPIC_PREFIX like the services. See libs/messaging/README.md.
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_TOPIC } from '@switchboard/contracts';
import { DeadLetterEntry, replayDeadLetters } from '../dead-letter-replay';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      reason: { type: 'string', default: 'handler' },
      origin: { type: 'string' },
      group: { type: 'string' },
    },
  });
  if (!['handler', 'invalid', 'all'].includes(values.reason ?? '')) throw new Error('--reason is handler, invalid or all');
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const kafka = new Kafka({ clientId: 'dead-letter-replay', brokers, logLevel: logLevel.WARN });
  const origin = values.origin ? (values.origin.startsWith(prefix) ? values.origin : prefix + values.origin) : undefined;
  const select = (e: DeadLetterEntry) =>
    (values.reason === 'all' || e.reason === values.reason) && (!origin || e.originTopic === origin) && (!values.group || e.consumerGroup === values.group);
  const { read, replayed } = await replayDeadLetters(kafka, { deadLetterTopic: prefix + DEAD_LETTER_TOPIC, select, dryRun: values['dry-run'] });
  const put = new Set(replayed);
  for (const e of read) {
    const action = values['dry-run'] ? (select(e) ? 'would replay' : 'skip') : put.has(e) ? 'replayed' : 'skipped';
    console.log(`${e.partition}:${e.offset}\t${action}\t${e.reason}\t${e.originTopic}\t${e.consumerGroup}\t${e.failedAt}\t${e.error.split('\n')[0].slice(0, 160)}`);
  }
  console.log(`${read.length} dead letters read, ${replayed.length} replayed${values['dry-run'] ? ' (dry run: nothing sent, no offsets moved)' : ''}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
