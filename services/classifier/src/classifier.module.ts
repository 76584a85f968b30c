import { DynamicModule, Module } from '@nestjs/common';
import { loadClassifier } from '@switchboard/classification';
import { InfraModule } from '@switchboard/service-kit';
import { ClassifierEnv } from './classifier.config';
import { ClassifyMessageUseCase } from './classify-message.use-case';
import { InboundConsumer } from './inbound.consumer';

@Module({})
export class ClassifierModule {
  static forRoot(env: ClassifierEnv): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [InfraModule.forRoot('classifier', env)],
      providers: [
        // The model loads once, before the first message is consumed.
        { provide: ClassifyMessageUseCase, useFactory: () => new ClassifyMessageUseCase(loadClassifier({ triageThreshold: env.TRIAGE_THRESHOLD, triageThresholds: env.TRIAGE_THRESHOLDS })) },
        InboundConsumer,
      ],
    };
  }
}
