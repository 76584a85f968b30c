import { composeOutboundEmail } from '@switchboard/channels';
import { OutboundMessage } from '@switchboard/contracts';
import { loadEnv } from '@switchboard/service-kit';
import { freePort, SmtpSink } from '@switchboard/testing';
import { emailEnvSchema } from './email.config';
import { EmailTransport, relayOptions } from './email-transport';

describe('relayOptions', () => {
  it('takes host, port, TLS and credentials from the relay URL', () => {
    expect(relayOptions('smtp://127.0.0.1:2526')).toEqual({ host: '127.0.0.1', port: 2526, secure: false });
    expect(relayOptions('smtps://apikey:s%40cret@smtp.example.com')).toEqual({ host: 'smtp.example.com', port: 465, secure: true, auth: { user: 'apikey', pass: 's@cret' } });
    expect(relayOptions('smtp://u:p@relay.example.com')).toMatchObject({ port: 587, secure: false });
    expect(relayOptions('smtp://[::1]:25')).toMatchObject({ host: '::1', port: 25 });
  });
});

describe('EmailTransport against a real SMTP server', () => {
  const sink = new SmtpSink();
  let transport: EmailTransport;

  beforeAll(async () => {
    await sink.start();
    transport = new EmailTransport(loadEnv(emailEnvSchema, { EMAIL_SMTP_URL: sink.url }));
  });

  afterAll(async () => {
    transport.onApplicationShutdown();
    await sink.stop();
  });

  it('sends mail after mail over the connection it keeps open', async () => {
    for (let n = 1; n <= 4; n++) {
      const outbound = { notificationId: `n-${n}`, ticketNumber: n, contact: { channel: 'email', address: 'dewi@mail.test' }, language: 'id', text: `Tiket #${n}`, subject: 'Tiket', automatic: true } as OutboundMessage;
      await transport.send(composeOutboundEmail(outbound, 'sb.test'));
    }
    expect(sink.to('dewi@mail.test')).toHaveLength(4);
    expect(sink.connections).toBe(1);
  });
});

describe('EmailTransport when the relay is down', () => {
  it('fails the send with a network error (no SMTP code, so the consumer retries it) instead of hanging', async () => {
    const transport = new EmailTransport(loadEnv(emailEnvSchema, { EMAIL_SMTP_URL: `smtp://127.0.0.1:${await freePort()}` }));
    const outbound = { notificationId: 'n-down', ticketNumber: 9, contact: { channel: 'email', address: 'dewi@mail.test' }, language: 'id', text: 'Tiket #9', subject: 'Tiket', automatic: true } as OutboundMessage;
    try {
      const error = await transport.send(composeOutboundEmail(outbound, 'sb.test')).then(
        () => undefined,
        (e: unknown) => e as { code?: string; responseCode?: number },
      );
      expect(error).toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|ECONNECTION/) });
      expect(error?.responseCode).toBeUndefined();
    } finally {
      transport.onApplicationShutdown();
    }
  });
});
