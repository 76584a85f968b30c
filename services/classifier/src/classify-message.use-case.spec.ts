import { classifiedMessageSchema, InboundMessage } from '@switchboard/contracts';
import { loadClassifier } from '@switchboard/classification';
import { ClassifyMessageUseCase } from './classify-message.use-case';

const inbound = (text: string): InboundMessage => ({
  schemaVersion: 1,
  eventId: `e-${text.length}`,
  channel: 'sms',
  provider: 'twilio',
  providerMessageId: 'SM1',
  contact: { channel: 'sms', address: '+628123' },
  contactKey: 'sms::+628123',
  text,
  receivedAt: '2026-11-24T08:00:00.000Z',
  attachments: [],
  identities: [],
  autoSubmitted: false,
  metadata: {},
});

describe('ClassifyMessageUseCase', () => {
  const now = new Date('2026-11-24T08:00:01Z');

  it('produces a valid classified event with a deterministic id', () => {
    const useCase = new ClassifyMessageUseCase(loadClassifier());
    const event = useCase.execute(inbound('gk bisa login, OTP ga masuk2'), now);
    expect(classifiedMessageSchema.parse(event).classification.category).toBe('login');
    expect(useCase.execute(inbound('gk bisa login, OTP ga masuk2'), now).eventId).toBe(event.eventId);
  });

  it('flags triage below the threshold and not above it', () => {
    expect(new ClassifyMessageUseCase(loadClassifier({ triageThreshold: 1 })).execute(inbound('halo'), now).triage).toBe(true);
    expect(new ClassifyMessageUseCase(loadClassifier({ triageThreshold: 0 })).execute(inbound('halo'), now).triage).toBe(false);
  });

  it('uses the threshold of the message language', () => {
    const text = 'min saldo kepotong tp transfer gagal';
    const confidence = new ClassifyMessageUseCase(loadClassifier()).execute(inbound(text), now).classification.confidence;
    const strictForId = new ClassifyMessageUseCase(loadClassifier({ triageThreshold: 0, triageThresholds: { id: Math.min(1, confidence + 0.001) } }));
    expect(strictForId.execute(inbound(text), now).triage).toBe(true);
    const strictForZh = new ClassifyMessageUseCase(loadClassifier({ triageThreshold: 0, triageThresholds: { zh: 1 } }));
    expect(strictForZh.execute(inbound(text), now).triage).toBe(false);
  });
});
