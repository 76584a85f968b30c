import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { Connection } from 'mongoose';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { MongoProcessedEventStore, openMongo } from '@switchboard/persistence';
import { ConsumerRegistry } from './consumer-registry';
import { HealthController } from './health.controller';
import { InfraEnv } from './env-config';
import { INFRA_ENV, MONGO_CONNECTION, PROCESSED_EVENTS, SERVICE_NAME } from './infra.tokens';
import { messagingLogger } from './pino-messaging-logger';

/**
 * What every service shares: validated infra settings, pino logging, one Kafka connection and
 * publisher, one MongoDB connection, the processed-event store and `GET /health`.
 */
@Global()
@Module({})
export class InfraModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(serviceName: string, env: InfraEnv): DynamicModule {
    return {
      module: InfraModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            name: serviceName,
            level: env.LOG_LEVEL,
            autoLogging: { ignore: (req) => req.url === '/health' },
            redact: ['req.headers.authorization', 'req.headers["x-twilio-signature"]', 'req.headers["x-hub-signature-256"]', 'req.headers["x-telegram-bot-api-secret-token"]'],
          },
        }),
        TerminusModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: INFRA_ENV, useValue: env },
        { provide: SERVICE_NAME, useValue: serviceName },
        {
          provide: KafkaConnection,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) =>
            new KafkaConnection(
              { brokers: env.KAFKA_BROKERS, clientId: serviceName, topicPrefix: env.KAFKA_TOPIC_PREFIX, partitions: env.KAFKA_PARTITIONS },
              messagingLogger(logger),
            ),
        },
        { provide: EventPublisher, inject: [KafkaConnection], useFactory: (kafka: KafkaConnection) => new EventPublisher(kafka) },
        { provide: MONGO_CONNECTION, useFactory: () => openMongo({ url: env.MONGO_URL, dbName: env.MONGO_DB }) },
        { provide: PROCESSED_EVENTS, inject: [MONGO_CONNECTION], useFactory: (c: Connection) => new MongoProcessedEventStore(c) },
        ConsumerRegistry,
      ],
      exports: [INFRA_ENV, SERVICE_NAME, KafkaConnection, EventPublisher, MONGO_CONNECTION, PROCESSED_EVENTS, ConsumerRegistry],
    };
  }

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly publisher: EventPublisher,
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.kafka.ensureTopics();
    await this.publisher.connect();
  }

  /** Runs after every consumer stopped (they stop in beforeApplicationShutdown), so nothing in flight is cut. */
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
    await this.mongo.close();
  }
}
