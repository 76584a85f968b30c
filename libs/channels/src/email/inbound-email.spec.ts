import { deterministicId, inboundMessageSchema } from '@switchboard/contracts';
import { EmailRejection, normaliseInboundEmail, ReceivedEmail } from './inbound-email';
import { ourMessageId } from './message-ids';

const NOTIFICATION = '3f2b8c1e-0d4a-5b6c-8d7e-9f0a1b2c3d4e';
const options = { domains: ['example.com'], trustedAuthservId: 'mx.example.com', receivedAt: new Date('2026-11-29T12:00:00Z') };

const mail = (overrides: Partial<ReceivedEmail> = {}): ReceivedEmail => ({
  messageId: '<CAF123@mail.gmail.com>',
  from: { address: 'Sari@Gmail.com', name: 'Sari W' },
  subject: 'Transfer gagal',
  text: 'Saldo kepotong tapi transfer gagal.\n\nSent from my iPhone',
  headers: {},
  recipients: ['support@example.com'],
  attachments: [],
  rawDigest: 'ab'.repeat(32),
  ...overrides,
});

describe('normaliseInboundEmail', () => {
  it('builds a valid inbound event keyed by the Message-ID, with only the new text', () => {
    const inbound = normaliseInboundEmail(mail(), options);
    expect(inboundMessageSchema.parse(inbound)).toEqual(inbound);
    expect(inbound).toMatchObject({
      eventId: deterministicId('inbound', 'email', '<CAF123@mail.gmail.com>'),
      channel: 'email',
      providerMessageId: '<CAF123@mail.gmail.com>',
      contact: { channel: 'email', address: 'sari@gmail.com', displayName: 'Sari W' },
      contactKey: 'email::sari@gmail.com',
      text: 'Saldo kepotong tapi transfer gagal.',
      subject: 'Transfer gagal',
      identities: [{ kind: 'email', value: 'sari@gmail.com', verified: false }],
      autoSubmitted: false,
    });
    expect(inbound.thread).toBeUndefined();
  });

  it('uses a digest of the raw mail when there is no Message-ID, so a redelivery is the same message', () => {
    const a = normaliseInboundEmail(mail({ messageId: undefined }), options);
    const b = normaliseInboundEmail(mail({ messageId: undefined }), options);
    expect(a.providerMessageId).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(a.eventId).toBe(b.eventId);
  });

  it('converts HTML to text when there is no text part, and keeps attachments as metadata', () => {
    const inbound = normaliseInboundEmail(
      mail({ text: undefined, html: '<div><p>Refund <b>belum</b> masuk</p><img src="x.png"><p>Order <a href="https://x">#123</a></p></div>', attachments: [{ name: 'struk.jpg', contentType: 'image/jpeg', size: 52_113 }] }),
      options,
    );
    expect(inbound.text).toBe('Refund belum masuk\n\nOrder #123');
    expect(inbound.attachments).toEqual([{ name: 'struk.jpg', contentType: 'image/jpeg', size: 52_113 }]);
  });

  it('strips the history of HTML-only replies (Gmail and Outlook markup)', () => {
    const gmail =
      '<div dir="ltr">Masih belum masuk dananya</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sun, Nov 29, 2026 at 12:00 PM Switchboard Support &lt;support@example.com&gt; wrote:<br></div><blockquote class="gmail_quote">We received your message<br>Ticket #12</blockquote></div>';
    expect(normaliseInboundEmail(mail({ text: undefined, html: gmail }), options).text).toBe('Masih belum masuk dananya');
    const outlook =
      '<html><body><div>Please help, still locked out</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Support &lt;support@example.com&gt;<br><b>Sent:</b> Sunday, November 29, 2026 12:00<br><b>Subject:</b> ticket</div><div>old text</div></body></html>';
    expect(normaliseInboundEmail(mail({ text: undefined, html: outlook }), options).text).toBe('Please help, still locked out');
  });

  it('puts threading hints on `thread`', () => {
    const ours = ourMessageId(1042, NOTIFICATION, 'example.com');
    const inbound = normaliseInboundEmail(mail({ headers: { 'in-reply-to': [ours], references: [`<x@y> ${ours}`] } }), options);
    expect(inbound.thread).toEqual({ ticketToken: 'SB-1042', replyTo: [ours, '<x@y>'] });
  });

  it('marks auto-replies and proves the sender only through the trusted authserv-id', () => {
    const inbound = normaliseInboundEmail(
      mail({ headers: { 'auto-submitted': ['auto-replied'], 'authentication-results': ['mx.example.com; dmarc=pass header.from=gmail.com'] } }),
      options,
    );
    expect(inbound.autoSubmitted).toBe(true);
    expect(inbound.identities).toEqual([{ kind: 'email', value: 'sari@gmail.com', verified: true }]);
  });

  it('refuses mail without a usable From', () => {
    expect(() => normaliseInboundEmail(mail({ from: undefined }), options)).toThrow(EmailRejection);
    expect(() => normaliseInboundEmail(mail({ from: { address: 'not an address' } }), options)).toThrow(/From/);
    expect(() => normaliseInboundEmail(mail({ from: { address: `${'a'.repeat(300)}@mail.test` } }), options)).toThrow(/From/);
  });

  it('refuses, rather than fails to publish, a mail whose fields do not fit the event', () => {
    expect(() => normaliseInboundEmail(mail({ attachments: [{ contentType: 'image/png', size: -1 }] }), options)).toThrow(EmailRejection);
    expect(() => normaliseInboundEmail(mail({ attachments: [{ contentType: 'image/png', size: -1 }] }), options)).toThrow(/attachments\.0\.size/);
  });
});
