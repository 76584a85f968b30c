import mongoose, { Connection } from 'mongoose';
import { PlatformUnderTest, ServiceName, TopicReader } from '@switchboard/testing';

type ServiceEnv = Partial<Record<ServiceName, Record<string, string>>>;

/** Reads what the services stored, straight from the database, the way an operator would check. */
export async function openDatabase(platform: PlatformUnderTest): Promise<Connection> {
  return mongoose.createConnection(platform.infra.mongoUrl, { dbName: platform.dbName }).asPromise();
}

/**
 * Starts the platform before the file's tests and tears it down after; `db` is ready once
 * beforeAll ran. `serviceEnv` runs in that beforeAll too, after the file's own earlier beforeAll
 * hooks, so it can hand the services the ports of fakes those hooks started.
 */
export function usePlatform(
  services?: ServiceName[],
  serviceEnv: () => ServiceEnv | Promise<ServiceEnv> = () => ({}),
): { platform: PlatformUnderTest; db: () => Connection } {
  const platform = new PlatformUnderTest();
  let db: Connection | undefined;
  beforeAll(async () => {
    await platform.start(services, await serviceEnv());
    db = await openDatabase(platform);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
    await platform.stop();
  });
  return {
    platform,
    db: () => {
      if (!db) throw new Error('the platform is not started yet');
      return db;
    },
  };
}

/** A reader of one of the platform's topics, started before the file's tests and stopped after them. */
export function useTopicReader(platform: PlatformUnderTest, topic: string): TopicReader {
  const reader = new TopicReader(platform.infra.kafkaBrokers, platform.topic(topic));
  beforeAll(() => reader.start());
  afterAll(() => reader.stop());
  return reader;
}
