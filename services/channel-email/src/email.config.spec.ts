import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { emailEnvSchema, imapAccount, messageIdDomain } from './email.config';

describe('channel-email configuration', () => {
  it('starts on demo-safe defaults derived from EMAIL_FROM', () => {
    const env = loadEnv(emailEnvSchema, {});
    expect(env).toMatchObject({
      PORT: 3004,
      EMAIL_SMTP_HOST: '127.0.0.1',
      EMAIL_SMTP_PORT: 2525,
      EMAIL_SMTP_URL: 'smtp://127.0.0.1:2526',
      EMAIL_DOMAINS: ['example.com'],
      EMAIL_OWN_ADDRESSES: ['support@example.com'],
      EMAIL_MAX_BYTES: 10 * 1024 * 1024,
    });
    expect(env.EMAIL_TRUSTED_AUTHSERV_ID).toBeUndefined();
    expect(messageIdDomain(env)).toBe('example.com');
  });

  it('takes lists of domains and own addresses, lower-cased', () => {
    const env = loadEnv(emailEnvSchema, { EMAIL_FROM: 'Help <help@Wallet.ID>', EMAIL_DOMAINS: 'wallet.id, Support.Wallet.ID', EMAIL_OWN_ADDRESSES: 'noreply@wallet.id' });
    expect(env.EMAIL_DOMAINS).toEqual(['wallet.id', 'support.wallet.id']);
    expect(env.EMAIL_OWN_ADDRESSES).toEqual(['help@wallet.id', 'noreply@wallet.id']);
  });

  it('treats empty variables (as compose passes them) as unset', () => {
    const env = loadEnv(emailEnvSchema, { EMAIL_TRUSTED_AUTHSERV_ID: '', EMAIL_DOMAINS: '', EMAIL_TLS_KEY_FILE: '', EMAIL_TLS_CERT_FILE: ' ' });
    expect(env.EMAIL_TRUSTED_AUTHSERV_ID).toBeUndefined();
    expect(env.EMAIL_DOMAINS).toEqual(['example.com']);
    expect(loadEnv(emailEnvSchema, { EMAIL_TRUSTED_AUTHSERV_ID: 'mx.example.com' }).EMAIL_TRUSTED_AUTHSERV_ID).toBe('mx.example.com');
  });

  it('refuses a malformed sender, relay URL or half a TLS setting', () => {
    expect(() => loadEnv(emailEnvSchema, { EMAIL_FROM: 'Support' })).toThrow(ConfigError);
    expect(() => loadEnv(emailEnvSchema, { EMAIL_SMTP_URL: 'http://relay' })).toThrow(/EMAIL_SMTP_URL/);
    // Compose passes an unset relay as empty: no silent fallback to a relay that is not there.
    expect(() => loadEnv(emailEnvSchema, { EMAIL_SMTP_URL: '' })).toThrow(/EMAIL_SMTP_URL/);
    expect(() => loadEnv(emailEnvSchema, { EMAIL_TLS_KEY_FILE: '/k.pem' })).toThrow(/EMAIL_TLS_CERT_FILE/);
  });

  it('polls no mailbox unless EMAIL_IMAP_URL is set, and reads the account from it', () => {
    const unset = loadEnv(emailEnvSchema, { EMAIL_IMAP_URL: '' });
    expect(unset).toMatchObject({ EMAIL_IMAP_MAILBOX: 'INBOX', EMAIL_IMAP_POLL_MS: 30_000 });
    expect(unset.EMAIL_IMAP_URL).toBeUndefined();

    const env = loadEnv(emailEnvSchema, { EMAIL_IMAP_URL: 'imaps://help%40wallet.id:app%20pass@imap.gmail.com', EMAIL_IMAP_MAILBOX: 'Support', EMAIL_IMAP_POLL_MS: '5000' });
    expect(env).toMatchObject({ EMAIL_IMAP_MAILBOX: 'Support', EMAIL_IMAP_POLL_MS: 5_000 });
    expect(imapAccount(env.EMAIL_IMAP_URL as string)).toEqual({ host: 'imap.gmail.com', port: 993, secure: true, user: 'help@wallet.id', pass: 'app pass' });
    expect(imapAccount('imap://u:p@127.0.0.1:1143')).toEqual({ host: '127.0.0.1', port: 1143, secure: false, user: 'u', pass: 'p' });
    expect(imapAccount('imap://u:p@mail.test')?.port).toBe(143);
  });

  it('refuses an IMAP URL without credentials or of another scheme', () => {
    expect(() => loadEnv(emailEnvSchema, { EMAIL_IMAP_URL: 'imaps://imap.gmail.com' })).toThrow(/EMAIL_IMAP_URL/);
    expect(() => loadEnv(emailEnvSchema, { EMAIL_IMAP_URL: 'pop3://u:p@mail.test' })).toThrow(/EMAIL_IMAP_URL/);
    expect(() => loadEnv(emailEnvSchema, { EMAIL_IMAP_URL: 'not a url' })).toThrow(/EMAIL_IMAP_URL/);
    expect(() => loadEnv(emailEnvSchema, { EMAIL_IMAP_POLL_MS: '0' })).toThrow(/EMAIL_IMAP_POLL_MS/);
  });
});
