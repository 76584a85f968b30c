import { ConfigError, infraEnvSchema, loadEnv } from './env-config';

describe('loadEnv', () => {
  it('fills the documented defaults', () => {
    expect(loadEnv(infraEnvSchema, {})).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      MONGO_DB: 'switchboard',
      HOST: '127.0.0.1',
    });
  });

  it('lists every malformed variable at once', () => {
    try {
      loadEnv(infraEnvSchema, { KAFKA_BROKERS: 'localhost', MONGO_URL: 'postgres://x', KAFKA_PARTITIONS: 'many' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/KAFKA_BROKERS/);
      expect(message).toMatch(/MONGO_URL: expected a mongodb:\/\/ URL/);
      expect(message).toMatch(/KAFKA_PARTITIONS/);
    }
  });
});
