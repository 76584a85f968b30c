import { join, resolve } from 'node:path';
import { ServiceProcess } from './service-process';
import { testInfra, uniqueName } from './test-infra';

/** How each service is started: the variable its HTTP port comes from. */
export const SERVICES = {
  'channel-inapp': 'PORT',
  'channel-sms': 'PORT',
  'channel-social': 'PORT',
  'channel-email': 'PORT',
  classifier: 'HEALTH_PORT',
  router: 'HEALTH_PORT',
  notifier: 'HEALTH_PORT',
  console: 'PORT',
} as const;
export type ServiceName = keyof typeof SERVICES;

/** The walking slice: what every e2e test starts unless it names its own set. */
export const SLICE_SERVICES: ServiceName[] = ['channel-inapp', 'classifier', 'router', 'notifier'];
export type SliceService = ServiceName;

/**
 * Every service as its own process against the real broker and database, isolated from other
 * runs by a topic prefix and a database of its own.
 */
export class PlatformUnderTest {
  readonly runId = uniqueName('e2e');
  readonly topicPrefix = `${this.runId}.`;
  readonly dbName = this.runId.replace(/-/g, '_');
  readonly identitySecret = 'e2e-identity-secret-0123456789';
  readonly logDir = resolve(__dirname, '../../../.data/e2e-logs', this.runId);
  readonly infra = testInfra();
  readonly services = new Map<ServiceName, ServiceProcess>();

  get env(): Record<string, string> {
    return {
      KAFKA_BROKERS: this.infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      MONGO_URL: this.infra.mongoUrl,
      MONGO_DB: this.dbName,
      INAPP_IDENTITY_SECRET: this.identitySecret,
      LOG_LEVEL: 'info',
    };
  }

  topic(name: string): string {
    return this.topicPrefix + name;
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not started`);
    return service;
  }

  /** Settings of one service beyond the shared ones (fake provider URLs, secrets, extra ports). */
  readonly serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {};

  async start(names: ServiceName[] = SLICE_SERVICES, serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {}): Promise<this> {
    Object.assign(this.serviceEnv, serviceEnv);
    // One at a time: the first creates the topics, and two cores do not like four JITs at once.
    for (const name of names) await this.restart(name);
    return this;
  }

  /** Starts the service, or a fresh process of it, on a new port. */
  async restart(name: ServiceName): Promise<ServiceProcess> {
    const env = { ...this.env, ...this.serviceEnv[name] };
    const service = new ServiceProcess({ name, portEnv: SERVICES[name], env, logDir: join(this.logDir) });
    this.services.set(name, service);
    return service.start();
  }

  /** Further instances of a service (e.g. a second router in the same consumer group), by label. */
  readonly extras = new Map<string, ServiceProcess>();

  /** Starts another instance of a started service, with the same settings, on its own port and log file. */
  async startExtra(name: ServiceName, label = `${name}-${this.extras.size + 2}`): Promise<ServiceProcess> {
    const env = { ...this.env, ...this.serviceEnv[name] };
    const service = new ServiceProcess({ name, portEnv: SERVICES[name], env, logDir: join(this.logDir), logName: label });
    this.extras.set(label, service);
    return service.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values(), ...this.extras.values()].map((s) => s.stop()));
  }
}
