import { DynamicModule, Module } from '@nestjs/common';
import { InfraModule, repositoryProvider } from '@switchboard/service-kit';
import { EMAIL_ENV, EmailEnv } from './email.config';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailTransport } from './email-transport';
import { ImapPoller } from './imap-poller';
import { ImapStatusController } from './imap-status.controller';
import { OutboundConsumer } from './outbound.consumer';
import { ReceiveEmailUseCase } from './receive-email.use-case';
import { SendEmailUseCase } from './send-email.use-case';
import { SmtpIngress } from './smtp-ingress';

@Module({})
export class ChannelEmailModule {
  static forRoot(env: EmailEnv): DynamicModule {
    return {
      module: ChannelEmailModule,
      imports: [InfraModule.forRoot('channel-email', env)],
      controllers: [ImapStatusController],
      providers: [
        { provide: EMAIL_ENV, useValue: env },
        repositoryProvider(EmailOutboxRepository),
        EmailTransport,
        ReceiveEmailUseCase,
        SendEmailUseCase,
        SmtpIngress,
        ImapPoller,
        OutboundConsumer,
      ],
    };
  }
}
