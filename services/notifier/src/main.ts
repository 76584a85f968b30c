import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { notifierEnvSchema } from './notifier.config';
import { NotifierModule } from './notifier.module';

async function main(): Promise<void> {
  const env = loadEnv(notifierEnvSchema);
  await runService(NotifierModule.forRoot(env), { name: 'notifier', host: env.HOST, port: env.HEALTH_PORT });
}

main().catch(exitOnStartupError);
