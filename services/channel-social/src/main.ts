import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { exitOnStartupError, loadEnv, runService } from '@switchboard/service-kit';
import { ChannelSocialModule } from './channel-social.module';
import { resolveProviders, socialEnvSchema } from './social.config';
import { holdTelegramSecret } from './telegram-webhook.controller';

async function main(): Promise<void> {
  const env = loadEnv(socialEnvSchema);
  const providers = resolveProviders(env);
  const app = await runService(ChannelSocialModule.forRoot(env, providers), {
    name: 'channel-social',
    host: env.HOST,
    port: env.PORT,
    // Meta signs the exact bytes it sent; the parsed JSON cannot be re-serialised into them.
    rawBody: true,
    configure: (nest) => {
      (nest as NestExpressApplication).useBodyParser('json', { limit: env.SOCIAL_MAX_BODY_BYTES });
      nest.use(holdTelegramSecret);
    },
  });
  const logger = app.get(Logger);
  for (const { provider, missing } of providers.disabled) logger.warn(`${provider} disabled: set ${missing.join(', ')} to enable it; its webhook answers 404`);
  const enabled = (['whatsapp', 'messenger', 'instagram', 'telegram'] as const).filter((p) => providers[p]);
  logger.log(`channel-social enabled providers: ${enabled.join(', ') || 'none'}`);
}

main().catch(exitOnStartupError);
