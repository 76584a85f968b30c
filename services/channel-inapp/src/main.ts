import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { ChannelInappModule } from './channel-inapp.module';
import { inappEnvSchema } from './inapp.config';

async function main(): Promise<void> {
  const env = loadEnv(inappEnvSchema);
  await runService(ChannelInappModule.forRoot(env), { name: 'channel-inapp', host: env.HOST, port: env.PORT });
}

main().catch(exitOnStartupError);
