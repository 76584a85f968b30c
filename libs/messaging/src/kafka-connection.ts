import { Admin, Kafka, logLevel, LogEntry } from 'kafkajs';
import { DEAD_LETTER_TOPIC, TOPICS } from '@switchboard/contracts';
import { MessagingConfig, MessagingLogger } from './messaging-config';

/** One kafkajs client per process, with topic names resolved through the configured prefix. */
export class KafkaConnection {
  readonly kafka: Kafka;

  constructor(
    readonly config: MessagingConfig,
    private readonly logger: MessagingLogger,
  ) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      logLevel: logLevel.WARN,
      // Startup races (group coordinator loading, a new topic's leader not elected yet, services
      // creating the same topics at once) are retried or ignored
      // by kafkajs itself: they are warnings, not errors.
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        const fields = { component: 'kafkajs', namespace: entry.namespace, ...rest };
        const transient = /coordinator|rebalanc|topic-partition|leader|topic creation errors/i.test(`${message} ${String(rest.error ?? '')}`);
        if (entry.level === logLevel.ERROR && !transient) logger.error(fields, message);
        else logger.warn(fields, message);
      },
      retry: { initialRetryTime: 200, retries: 10 },
    });
  }

  topicName(topic: string): string {
    return this.config.topicPrefix + topic;
  }

  /** Creates every contract topic and the dead-letter topic if missing; safe to call from every service. */
  async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const all = [...TOPICS, DEAD_LETTER_TOPIC].map((t) => this.topicName(t));
      const wanted = all.filter((t) => !existing.has(t));
      if (wanted.length > 0) {
        try {
          await admin.createTopics({
            waitForLeaders: false,
            topics: wanted.map((topic) => ({ topic, numPartitions: this.config.partitions, replicationFactor: 1 })),
          });
          this.logger.info({ topics: wanted }, 'created topics');
        } catch (error) {
          // Another service may create the same topics at the same moment.
          if (!/already exists/i.test(String(error))) throw error;
        }
      }
      // All of them: a topic another service has just created is listed before it has a leader.
      await waitForTopicLeaders(admin, all);
    } finally {
      await admin.disconnect();
    }
  }

  /** Used by health checks: a metadata round trip to the cluster. */
  async ping(): Promise<{ brokers: number }> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      return { brokers: cluster.brokers.length };
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * Until every partition of the topics has a leader. kafkajs's own wait (`createTopics` with
 * `waitForLeaders`) retries only LEADER_NOT_AVAILABLE and gives up on UNKNOWN_TOPIC_OR_PARTITION,
 * which a KRaft broker answers for a moment after a creation while its metadata catches up ("This
 * server does not host this topic-partition": a test suite's setup failed on it once in CI).
 */
export async function waitForTopicLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      if (found.length === topics.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (!/does not host this topic-partition|leader|not available/i.test(String(error)) || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics without a leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((done) => setTimeout(done, pause));
  }
}
