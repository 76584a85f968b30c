import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from 'mongoose';
import { KafkaConnection } from '@switchboard/messaging';
import { pingMongo } from '@switchboard/persistence';
import { MONGO_CONNECTION } from './infra.tokens';

/** `GET /health`: 200 when Kafka and MongoDB answer, 503 with each dependency's state otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly kafka: KafkaConnection,
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('kafka', async () => this.kafka.ping()),
      () => this.probe('mongodb', async () => (await pingMongo(this.mongo), { db: this.mongo.name })),
    ]);
  }

  private async probe(key: string, run: () => Promise<Record<string, unknown>>) {
    const session = this.indicators.check(key);
    try {
      return session.up(await withTimeout(run(), 3_000));
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
