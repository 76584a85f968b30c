import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { ComposedEmail } from '@switchboard/channels';
import { EMAIL_ENV, EmailEnv } from './email.config';

export interface SendResult {
  messageId: string;
  response: string;
}

/**
 * The relay's address as nodemailer's options. Not `{pool: true, url}`: given a URL, nodemailer
 * takes `pool` from the URL's query alone and builds an unpooled transport, which opened (and on
 * a real relay TLS-negotiated and authenticated) a new connection for every mail.
 */
export function relayOptions(url: string): Pick<SMTPPool.Options, 'host' | 'port' | 'secure' | 'auth'> {
  const relay = new URL(url);
  const secure = relay.protocol === 'smtps:';
  return {
    host: relay.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: relay.port ? Number(relay.port) : secure ? 465 : 587,
    secure,
    ...(relay.username ? { auth: { user: decodeURIComponent(relay.username), pass: decodeURIComponent(relay.password) } } : {}),
  };
}

/** The outbound relay (EMAIL_SMTP_URL) over a pool of SMTP connections. */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter<SMTPPool.SentMessageInfo>;

  constructor(@Inject(EMAIL_ENV) private readonly env: EmailEnv) {
    this.transporter = createTransport({ ...relayOptions(env.EMAIL_SMTP_URL), pool: true, maxConnections: 3, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  async send(mail: ComposedEmail): Promise<SendResult> {
    const info = await this.transporter.sendMail({
      from: this.env.EMAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.references } : {}),
      headers: mail.headers,
    });
    return { messageId: info.messageId, response: info.response };
  }

  /** After the consumers stopped: a send in flight finishes rather than being cut off and retried. */
  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
