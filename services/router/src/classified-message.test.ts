// One builder of classified messages for the router's specs, each of which only says what differs.
// Named `.test.ts` so the build leaves it out and jest (which runs `*.spec.ts`) does not take it for a suite.
import { Category, ClassifiedMessage, deterministicId } from '@switchboard/contracts';

type Inbound = ClassifiedMessage['inbound'];
type Channel = 'inapp' | 'sms' | 'social';

export interface MessageSpec {
  eventId: string;
  address: string;
  channel?: Channel;
  text?: string;
  receivedAt?: string;
  /** A verified phone identity. */
  phone?: string;
  category?: Category;
  confidence?: number;
  triage?: boolean;
  /** Anything else of the inbound message (a contactKey, a thread token, autoSubmitted...). */
  inbound?: Partial<Inbound>;
}

const PROVIDERS: Record<Channel, string> = { inapp: 'inapp', sms: 'twilio', social: 'whatsapp' };

/** A message the classifier passed on: contact key as the channels build it, identities only when given. */
export function classifiedMessage(spec: MessageSpec): ClassifiedMessage {
  const channel = spec.channel ?? 'inapp';
  const provider = PROVIDERS[channel];
  return {
    schemaVersion: 1,
    eventId: deterministicId('classified', spec.eventId),
    inbound: {
      schemaVersion: 1,
      eventId: spec.eventId,
      channel,
      provider,
      providerMessageId: `p-${spec.eventId}`,
      contact: { channel, address: spec.address, ...(channel === 'inapp' ? {} : { provider }) },
      contactKey: `${channel}:${channel === 'inapp' ? '' : provider}:${spec.address}`,
      text: spec.text ?? 'refund saya belum masuk',
      receivedAt: spec.receivedAt ?? new Date().toISOString(),
      attachments: [],
      identities: spec.phone ? [{ kind: 'phone', value: spec.phone, verified: true }] : [],
      autoSubmitted: false,
      metadata: {},
      ...spec.inbound,
    },
    classification: {
      category: spec.category ?? 'refund',
      confidence: spec.confidence ?? 0.95,
      scores: {},
      language: 'id',
      entities: { amounts: [], transactionIds: [], merchants: [], maskedDigits: [] },
      urgency: [],
      explanation: [],
      modelVersion: 'test',
    },
    triage: spec.triage ?? false,
    classifiedAt: new Date().toISOString(),
  };
}
