import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { ChannelEmailModule } from './channel-email.module';
import { emailEnvSchema } from './email.config';

async function main(): Promise<void> {
  const env = loadEnv(emailEnvSchema);
  await runService(ChannelEmailModule.forRoot(env), { name: 'channel-email', host: env.HOST, port: env.PORT });
}

main().catch(exitOnStartupError);
