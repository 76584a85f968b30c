import { NestExpressApplication } from '@nestjs/platform-express';
import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { consoleEnvSchema } from './console.config';
import { ConsoleModule } from './console.module';
import { configureHttp } from './http-setup';

async function main(): Promise<void> {
  const env = loadEnv(consoleEnvSchema);
  await runService(ConsoleModule.forRoot(env), {
    name: 'console',
    host: env.HOST,
    port: env.PORT,
    configure: (app) => configureHttp(app as NestExpressApplication, env),
  });
}

main().catch(exitOnStartupError);
