import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from './env-config';

export interface RunServiceOptions {
  name: string;
  host: string;
  port: number;
  /** Keep the raw request body beside the parsed one (`req.rawBody`), for webhook signatures over the exact bytes. */
  rawBody?: boolean;
  /** Body parsers, middleware: what must be in place before the server listens. */
  configure?: (app: INestApplication) => void;
}

/** Starts a Nest application with pino logs and graceful shutdown on SIGTERM/SIGINT. */
export async function runService(module: unknown, options: RunServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { bufferLogs: true, rawBody: options.rawBody ?? false });
  app.useLogger(app.get(Logger));
  options.configure?.(app);
  app.enableShutdownHooks();
  await app.listen(options.port, options.host);
  app.get(Logger).log(`${options.name} listening on http://${options.host}:${options.port}`);
  return app;
}

/** For `main().catch(exitOnStartupError)`: configuration problems are the user's to fix, so no stack trace. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
