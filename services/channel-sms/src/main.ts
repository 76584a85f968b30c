import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { ChannelSmsModule } from './channel-sms.module';
import { smsEnvSchema } from './sms.config';

async function main(): Promise<void> {
  const env = loadEnv(smsEnvSchema);
  await runService(ChannelSmsModule.forRoot(env), { name: 'channel-sms', host: env.HOST, port: env.PORT });
}

main().catch(exitOnStartupError);
