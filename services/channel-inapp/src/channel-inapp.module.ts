import { DynamicModule, Module } from '@nestjs/common';
import { InappOutboxRepository } from '@switchboard/persistence';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { CustomerSockets } from './customer-sockets';
import { DemoController } from './demo.controller';
import { IdentityGuard } from './identity.guard';
import { INAPP_ENV, InappEnv } from './inapp.config';
import { InappDeliveryService } from './inapp-delivery.service';
import { InappRecipientRepository } from './inapp-recipients.repository';
import { MessagesController } from './messages.controller';
import { OutboundConsumer } from './outbound.consumer';
import { WidgetController } from './widget.controller';

@Module({})
export class ChannelInappModule {
  static forRoot(env: InappEnv): DynamicModule {
    return {
      module: ChannelInappModule,
      imports: [InfraModule.forRoot('channel-inapp', env)],
      controllers: [MessagesController, WidgetController, DemoController],
      providers: [
        { provide: INAPP_ENV, useValue: env },
        repositoryProvider(InappOutboxRepository),
        repositoryProvider(InappRecipientRepository),
        IdentityGuard,
        CustomerSockets,
        InappDeliveryService,
        OutboundConsumer,
      ],
    };
  }
}
