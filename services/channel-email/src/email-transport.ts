import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { ComposedEmail } from '@switchboard/channels';
import { EMAIL_ENV, EmailEnv } from './email.config';

export interface SendResult {
  messageId: string;
  response: string;
}

/** The outbound relay (EMAIL_SMTP_URL) over a pool of SMTP connections. */
@Injectable()
export class EmailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter<SMTPPool.SentMessageInfo>;

  constructor(@Inject(EMAIL_ENV) private readonly env: EmailEnv) {
    this.transporter = createTransport({ pool: true, url: env.EMAIL_SMTP_URL, maxConnections: 3, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as SMTPPool.Options);
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
