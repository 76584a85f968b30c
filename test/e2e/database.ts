import mongoose, { Connection } from 'mongoose';
import { PlatformUnderTest } from '@switchboard/testing';

/** Reads what the services stored, straight from the database, the way an operator would check. */
export async function openDatabase(platform: PlatformUnderTest): Promise<Connection> {
  return mongoose.createConnection(platform.infra.mongoUrl, { dbName: platform.dbName }).asPromise();
}
