import { deterministicId, OutboundMessage } from '@switchboard/contracts';
import { NotificationDocument, outboundOf, storedOutbound } from './notification.repository';

const createdAt = new Date('2026-11-30T05:00:00.000Z');

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const notificationId = 'n-1';
  return {
    schemaVersion: 1, eventId: deterministicId('outbound', notificationId), notificationId, kind: 'received', ticketId: 't-1', ticketNumber: 42, channel: 'email',
    contact: { channel: 'email', address: 'rina@mail.test', displayName: 'Rina' }, contactKey: 'email::rina@mail.test', language: 'id', text: 'Tiket #42 diterima.',
    subject: 'Pesan Anda diterima [SB-42]', html: '<p>Tiket #42 diterima.</p>', automatic: true, inReplyTo: '<abc@mail.test>', createdAt: createdAt.toISOString(), ...overrides,
  };
}

/** The notification document the notifier stores for `outbound`. */
function documentOf(outbound: OutboundMessage, stored: Record<string, unknown>): NotificationDocument {
  return {
    _id: outbound.notificationId, ticketId: outbound.ticketId, kind: outbound.kind, channel: outbound.channel, contactKey: outbound.contactKey, ticketNumber: outbound.ticketNumber,
    language: outbound.language, text: outbound.text, automatic: outbound.automatic, outbound: stored, status: 'queued', deliveries: [], createdAt, updatedAt: createdAt,
  };
}

describe('a notification’s stored outbound message', () => {
  it.each([
    ['an email with subject, HTML and thread', message()],
    ['an SMS with only the text', message({ channel: 'sms', contact: { channel: 'sms', address: '+6281300000001', provider: 'twilio' }, subject: undefined, html: undefined, inReplyTo: undefined })],
    ['an agent reply', message({ kind: 'agent_reply', automatic: false })],
  ])('rebuilds %s exactly as it was handed over, storing none of it twice', (_, outbound) => {
    const whole = JSON.parse(JSON.stringify(outbound)) as OutboundMessage;
    const stored = storedOutbound(whole);
    expect(outboundOf(documentOf(whole, stored))).toEqual(whole);
    // The text, ids, kind, channel... are the document's own fields.
    expect(Object.keys(stored).sort()).toEqual(['contact', 'html', 'inReplyTo', 'subject'].filter((k) => k in whole).sort());
  });

  it('reads a message stored whole (a retry, or a notification stored before) as it is', () => {
    const whole = message({ notificationId: 'n-retry', eventId: deterministicId('outbound', 'n-retry'), createdAt: '2026-11-30T04:00:00.000Z' });
    expect(outboundOf(documentOf(message(), whole as unknown as Record<string, unknown>))).toEqual(whole);
  });

  it('has none for a notification stored without one', () => {
    expect(outboundOf({ ...documentOf(message(), {}), outbound: undefined })).toBeUndefined();
  });
});
