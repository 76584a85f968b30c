import { DynamicModule, Module } from '@nestjs/common';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { DeliveryReceipts } from './delivery-receipts';
import { MetaWebhookController } from './meta-webhook.controller';
import { OutboundConsumer } from './outbound.consumer';
import { ProviderHttpClient } from './provider-http.client';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';
import { SendSocialUseCase } from './send-social.use-case';
import { SOCIAL_ENV, SOCIAL_PROVIDERS_CONFIG, SocialEnv, SocialProviders } from './social.config';
import { SocialContactRepository } from './social-contacts.repository';
import { SocialSendRepository } from './social-sends.repository';
import { TelegramWebhookController } from './telegram-webhook.controller';

@Module({})
export class ChannelSocialModule {
  static forRoot(env: SocialEnv, providers: SocialProviders): DynamicModule {
    return {
      module: ChannelSocialModule,
      imports: [InfraModule.forRoot('channel-social', env)],
      controllers: [MetaWebhookController, TelegramWebhookController],
      providers: [
        { provide: SOCIAL_ENV, useValue: env },
        { provide: SOCIAL_PROVIDERS_CONFIG, useValue: providers },
        repositoryProvider(SocialContactRepository),
        repositoryProvider(SocialSendRepository),
        DeliveryReceipts,
        ProviderHttpClient,
        ReceiveWebhookUseCase,
        SendSocialUseCase,
        OutboundConsumer,
      ],
    };
  }
}
