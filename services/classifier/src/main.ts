import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { classifierEnvSchema } from './classifier.config';
import { ClassifierModule } from './classifier.module';

async function main(): Promise<void> {
  const env = loadEnv(classifierEnvSchema);
  await runService(ClassifierModule.forRoot(env), { name: 'classifier', host: env.HOST, port: env.HEALTH_PORT });
}

main().catch(exitOnStartupError);
