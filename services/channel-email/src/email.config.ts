import { z } from 'zod';
import { addressOf, domainOf } from '@switchboard/channels';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

/** Compose and shells pass unset variables as empty strings. */
const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean));

export const emailEnvSchema = infraEnvSchema
  .extend({
    PORT: portSetting(3004),
    /** Where the SMTP ingress listens: MX or a forwarding rule delivers customer mail here. */
    EMAIL_SMTP_HOST: z.string().default('127.0.0.1'),
    EMAIL_SMTP_PORT: portSetting(2525),
    /** Largest mail accepted, announced with SMTP SIZE and counted while receiving. */
    EMAIL_MAX_BYTES: z.coerce.number().int().min(1_024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    /**
     * How long a received mail may wait for Kafka before the sender is told 451 (retry later);
     * well under the 10 minutes a sending server waits for the reply to DATA (RFC 5321).
     */
    EMAIL_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    /** The sender of everything we send; its domain is our default domain. */
    EMAIL_FROM: z
      .string()
      .default('Switchboard Support <support@example.com>')
      .refine((v) => addressOf(v) !== undefined, 'expected "Name <address@domain>" or address@domain'),
    /** Domains we receive mail for (RCPT TO elsewhere gets 550); default: the EMAIL_FROM domain. */
    EMAIL_DOMAINS: list,
    /** Addresses whose mail is ours and dropped (a loop); default: the EMAIL_FROM address. */
    EMAIL_OWN_ADDRESSES: list,
    /** The relay we send through: smtp://user:pass@host:587 or smtps://…:465. */
    EMAIL_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected smtp:// or smtps:// URL').default('smtp://127.0.0.1:2526'),
    /** authserv-id of the Authentication-Results header our own MX adds; unset: no sender is verified. */
    EMAIL_TRUSTED_AUTHSERV_ID: optional,
    /** PEM files for STARTTLS on the ingress; without them STARTTLS is not offered. */
    EMAIL_TLS_KEY_FILE: optional,
    EMAIL_TLS_CERT_FILE: optional,
    /**
     * An existing mailbox to poll, for teams that cannot point MX at us: imaps://user:pass@host:993
     * (TLS) or imap://user:pass@host:143 (STARTTLS when offered). Unset: no polling.
     */
    EMAIL_IMAP_URL: optional.refine((v) => v === undefined || imapAccount(v) !== undefined, 'expected imap://user:pass@host[:port] or imaps://user:pass@host[:port]'),
    /** The folder polled; every unseen mail in it is taken and then flagged \Seen. */
    EMAIL_IMAP_MAILBOX: optional.transform((v) => v ?? 'INBOX'),
    EMAIL_IMAP_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** Logs every outbound SMTP line and connection event at debug level (with LOG_LEVEL=debug): where a send's time goes. */
    EMAIL_SMTP_TRACE: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
  })
  .transform((env) => {
    const fromAddress = addressOf(env.EMAIL_FROM) as string;
    return {
      ...env,
      EMAIL_DOMAINS: env.EMAIL_DOMAINS.length ? env.EMAIL_DOMAINS : [domainOf(env.EMAIL_FROM) as string],
      EMAIL_OWN_ADDRESSES: [...new Set([fromAddress, ...env.EMAIL_OWN_ADDRESSES])],
    };
  })
  .refine((env) => !env.EMAIL_TLS_KEY_FILE === !env.EMAIL_TLS_CERT_FILE, { message: 'set both EMAIL_TLS_KEY_FILE and EMAIL_TLS_CERT_FILE, or neither', path: ['EMAIL_TLS_CERT_FILE'] });
export type EmailEnv = z.infer<typeof emailEnvSchema>;
export const EMAIL_ENV = Symbol('EMAIL_ENV');

/** The domain in our Message-IDs: the sender's. */
export function messageIdDomain(env: EmailEnv): string {
  return domainOf(env.EMAIL_FROM) as string;
}

export interface ImapAccount {
  host: string;
  port: number;
  /** TLS from the first byte (imaps); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
}

/** The connection an EMAIL_IMAP_URL names; user and password may be percent-encoded (`me%40gmail.com`). */
export function imapAccount(url: string): ImapAccount | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const secure = parsed.protocol === 'imaps:';
  if ((!secure && parsed.protocol !== 'imap:') || !parsed.hostname || !parsed.username || !parsed.password) return undefined;
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
  };
}
