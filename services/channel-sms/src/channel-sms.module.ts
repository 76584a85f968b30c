import { DynamicModule, Module } from '@nestjs/common';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { CheckDeliveryUseCase } from './check-delivery.use-case';
import { DeliveryChecksConsumer } from './delivery-checks.consumer';
import { InboundSmsController } from './inbound-sms.controller';
import { SmsOptOutRepository } from './opt-out.repository';
import { OutboundConsumer } from './outbound.consumer';
import { ReportedCallbacks } from './reported-callbacks';
import { SendSmsUseCase } from './send-sms.use-case';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { SMS_ENV, SmsEnv } from './sms.config';
import { StatusCallbackBatcher } from './status-callback-batcher';
import { StatusCallbackRoute } from './status-callback.route';
import { TWILIO_CLIENT, twilioClient } from './twilio-client';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { WebhookBodyParser } from './webhook-body-parser';

@Module({})
export class ChannelSmsModule {
  static forRoot(env: SmsEnv): DynamicModule {
    return {
      module: ChannelSmsModule,
      imports: [InfraModule.forRoot('channel-sms', env)],
      controllers: [InboundSmsController],
      providers: [
        { provide: SMS_ENV, useValue: env },
        { provide: TWILIO_CLIENT, useFactory: () => twilioClient(env) },
        repositoryProvider(SmsOptOutRepository),
        repositoryProvider(SmsOutboxRepository),
        WebhookBodyParser,
        TwilioSignatureGuard,
        SendSmsUseCase,
        ReportedCallbacks,
        StatusCallbackBatcher,
        StatusCallbackRoute,
        OutboundConsumer,
        CheckDeliveryUseCase,
        DeliveryChecksConsumer,
      ],
    };
  }
}
