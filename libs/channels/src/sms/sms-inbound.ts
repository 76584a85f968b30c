import { contactKeyOf, deterministicId, InboundMessage } from '@switchboard/contracts';
import { smsKeyword, SmsKeyword } from './sms-keywords';
import { TwilioInboundSms } from './twilio-params';

/** What an inbound SMS asks of us: a control keyword, a message for a ticket, or nothing at all. */
export type InboundSmsIntent = { kind: 'keyword'; keyword: SmsKeyword } | { kind: 'message'; message: InboundMessage } | { kind: 'empty' };

export function inboundSmsIntent(params: TwilioInboundSms, receivedAt: Date): InboundSmsIntent {
  // A picture whose caption happens to be "stop" is still a picture sent to support.
  const keyword = params.media.length === 0 ? smsKeyword(params.Body, params.OptOutType) : null;
  if (keyword) return { kind: 'keyword', keyword };
  if (params.Body.trim() === '' && params.media.length === 0) return { kind: 'empty' };
  return { kind: 'message', message: normaliseTwilioSms(params, receivedAt) };
}

/**
 * One inbound SMS or MMS as the platform's event. The event id is derived from Twilio's message
 * SID, so a webhook Twilio delivers twice is one message downstream. The carrier proved the
 * sender's number, so it is a verified phone identity.
 */
export function normaliseTwilioSms(params: TwilioInboundSms, receivedAt: Date): InboundMessage {
  const contact = { channel: 'sms' as const, address: params.From, provider: 'twilio' };
  const metadata: Record<string, string> = { to: params.To };
  if (params.NumSegments) metadata.segments = params.NumSegments;
  if (params.FromCountry) metadata.fromCountry = params.FromCountry;
  if (params.MessagingServiceSid) metadata.messagingServiceSid = params.MessagingServiceSid;
  return {
    schemaVersion: 1,
    eventId: deterministicId('inbound', 'twilio', params.MessageSid),
    channel: 'sms',
    provider: 'twilio',
    providerMessageId: params.MessageSid,
    contact,
    contactKey: contactKeyOf(contact),
    text: params.Body.trim(),
    receivedAt: receivedAt.toISOString(),
    attachments: params.media.map((m) => ({ contentType: m.contentType, url: m.url })),
    identities: [{ kind: 'phone', value: params.From, verified: true }],
    autoSubmitted: false,
    metadata,
  };
}
