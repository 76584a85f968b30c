import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { SERVICES } from '@switchboard/testing';

const root = join(__dirname, '../..');

interface ComposeFile {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, unknown>; depends_on?: Record<string, unknown> }>;
}

// Docker cannot run on CI machines; this keeps the compose file in step with the services.
describe('deploy/compose/docker-compose.yml', () => {
  const compose = load(readFileSync(join(root, 'deploy/compose/docker-compose.yml'), 'utf8')) as ComposeFile;

  it('uses the official Kafka and MongoDB images', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.mongo.image).toMatch(/^mongo:\d/);
  });

  const built = Object.entries(SERVICES).filter(([name]) => existsSync(join(root, 'services', name)));

  it.each(built)('runs %s from the one Dockerfile with its port and infra settings', (name, portEnv) => {
    const service = compose.services[name];
    expect(service).toBeDefined();
    expect(service.build).toEqual({ context: '../..', dockerfile: 'Dockerfile' });
    expect(service.environment).toMatchObject({ SERVICE: name, KAFKA_BROKERS: 'kafka:9092', MONGO_URL: 'mongodb://mongo:27017', HOST: '0.0.0.0' });
    expect(service.environment?.[portEnv]).toBeDefined();
    expect(Object.keys(service.depends_on ?? {}).sort()).toEqual(['kafka', 'mongo']);
    expect(existsSync(join(root, 'dist/services', name, 'src/main.js'))).toBe(true);
  });

  it('makes channel-inapp require its identity secret', () => {
    expect(String(compose.services['channel-inapp'].environment?.INAPP_IDENTITY_SECRET)).toMatch(/^\$\{INAPP_IDENTITY_SECRET:\?/);
  });
});
