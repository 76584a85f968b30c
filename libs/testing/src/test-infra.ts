import { randomBytes } from 'node:crypto';

export interface TestInfra {
  kafkaBrokers: string[];
  mongoUrl: string;
}

/**
 * Integration tests run against the real broker and database that `npm test` provisions and
 * exports. Run alone, they fail at once with the way to get them, rather than hang on a connect.
 */
export function testInfra(): TestInfra {
  const brokers = process.env.KAFKA_BROKERS;
  const mongoUrl = process.env.MONGO_URL;
  if (!brokers || !mongoUrl) {
    throw new Error('KAFKA_BROKERS and MONGO_URL are not set: run the tests with `npm test`, or `npm run infra -- up` and `eval "$(npm run -s infra -- env)"` first');
  }
  return { kafkaBrokers: brokers.split(','), mongoUrl };
}

/** A name no other test run uses, for topic prefixes, consumer groups and databases. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
