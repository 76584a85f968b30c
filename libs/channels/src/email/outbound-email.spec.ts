import { OutboundMessage } from '@switchboard/contracts';
import { composeOutboundEmail } from './outbound-email';

const outbound = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  schemaVersion: 1,
  eventId: 'e1',
  notificationId: '3f2b8c1e-0d4a-5b6c-8d7e-9f0a1b2c3d4e',
  kind: 'acknowledgement',
  ticketId: 't1',
  ticketNumber: 1042,
  channel: 'email',
  contact: { channel: 'email', address: 'sari@gmail.com', displayName: 'Sari "W"' },
  contactKey: 'email::sari@gmail.com',
  language: 'en',
  text: 'We received your message <script>.\n\nTicket #1042 & more.',
  subject: 'We received your message [ticket #1042]',
  automatic: true,
  inReplyTo: '<CAF123@mail.gmail.com>',
  createdAt: '2026-11-29T12:00:00.000Z',
  ...overrides,
});

describe('composeOutboundEmail', () => {
  it('sends our Message-ID, the token subject, the customer thread and the auto-reply mark', () => {
    const mail = composeOutboundEmail(outbound(), 'example.com');
    expect(mail).toMatchObject({
      messageId: '<sb-1042.3f2b8c1e-0d4a-5b6c-8d7e-9f0a1b2c3d4e@example.com>',
      to: '"Sari W" <sari@gmail.com>',
      subject: 'We received your message [ticket #1042] [SB-1042]',
      inReplyTo: '<CAF123@mail.gmail.com>',
      references: ['<CAF123@mail.gmail.com>'],
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(mail.html).toContain('<p>We received your message &lt;script&gt;.</p>');
    expect(mail.html).toContain('Ticket #1042 &amp; more.');
  });

  it('keeps a subject that already has the token, uses the given HTML, and marks nothing for agent replies', () => {
    const mail = composeOutboundEmail(outbound({ subject: 'Re: refund [SB-1042]', html: '<p>hi</p>', automatic: false, inReplyTo: undefined }), 'example.com');
    expect(mail.subject).toBe('Re: refund [SB-1042]');
    expect(mail.html).toBe('<p>hi</p>');
    expect(mail.headers).toEqual({});
    expect(mail.inReplyTo).toBeUndefined();
  });
});
