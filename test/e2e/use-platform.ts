import mongoose, { Connection } from 'mongoose';
import { PlatformUnderTest, SliceService } from '@switchboard/testing';

/** Reads what the services stored, straight from the database, the way an operator would check. */
export async function openDatabase(platform: PlatformUnderTest): Promise<Connection> {
  return mongoose.createConnection(platform.infra.mongoUrl, { dbName: platform.dbName }).asPromise();
}

/**
 * Starts the platform before the file's tests and tears it down after; `db` is ready once
 * beforeAll ran.
 */
export function usePlatform(services?: SliceService[]): { platform: PlatformUnderTest; db: () => Connection } {
  const platform = new PlatformUnderTest();
  let db: Connection | undefined;
  beforeAll(async () => {
    await platform.start(services);
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
