import { DEAD_LETTER_TOPIC, TOPICS } from '@switchboard/contracts';
import { testInfra, uniqueName } from '@switchboard/testing';
import { KafkaConnection } from './kafka-connection';
import { quiet } from './consumer-fixture.test';

describe('KafkaConnection.ensureTopics against a real broker', () => {
  const infra = testInfra();

  it('returns only once every partition of every topic has a leader, also for services creating the same topics at the same moment', async () => {
    const topicPrefix = `${uniqueName('topics')}.`;
    const connections = [1, 2, 3].map((n) => new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: `spec-${n}`, topicPrefix, partitions: 3 }, quiet));
    // Three at once: one creates, the others find the topics being created (already exists) and must wait too.
    await Promise.all(connections.map((connection) => connection.ensureTopics()));

    const admin = connections[0].kafka.admin();
    await admin.connect();
    try {
      const names = [...TOPICS, DEAD_LETTER_TOPIC].map((topic) => connections[0].topicName(topic));
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      expect(topics.map((t) => t.name).sort()).toEqual([...names].sort());
      for (const topic of topics) {
        expect(topic.partitions).toHaveLength(3);
        for (const partition of topic.partitions) expect(partition.leader).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await admin.disconnect();
    }
    // Called again (every service does at start): nothing to create, nothing to wait for.
    await connections[1].ensureTopics();
  });
});
