import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { routerEnvSchema } from './router.config';
import { RouterModule } from './router.module';

async function main(): Promise<void> {
  const env = loadEnv(routerEnvSchema);
  await runService(RouterModule.forRoot(env), { name: 'router', host: env.HOST, port: env.HEALTH_PORT });
}

main().catch(exitOnStartupError);
