import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { exitOnStartupError, loadEnv } from '@switchboard/service-kit';
import { ChannelSocialModule } from './channel-social.module';
import { resolveProviders, socialEnvSchema } from './social.config';
import { holdTelegramSecret } from './telegram-webhook.controller';

/** Like runService, plus what webhook signatures need: the raw body kept beside the parsed one. */
async function main(): Promise<void> {
  const env = loadEnv(socialEnvSchema);
  const providers = resolveProviders(env);
  const app = await NestFactory.create<NestExpressApplication>(ChannelSocialModule.forRoot(env, providers), { bufferLogs: true, rawBody: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useBodyParser('json', { limit: env.SOCIAL_MAX_BODY_BYTES });
  app.use(holdTelegramSecret);
  app.enableShutdownHooks();
  await app.listen(env.PORT, env.HOST);
  for (const { provider, missing } of providers.disabled) logger.warn(`${provider} disabled: set ${missing.join(', ')} to enable it; its webhook answers 404`);
  const enabled = (['whatsapp', 'messenger', 'instagram', 'telegram'] as const).filter((p) => providers[p]);
  logger.log(`channel-social listening on http://${env.HOST}:${env.PORT} (enabled: ${enabled.join(', ') || 'none'})`);
}

main().catch(exitOnStartupError);
