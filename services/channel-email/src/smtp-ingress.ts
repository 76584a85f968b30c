import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { PinoLogger } from 'nestjs-pino';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { EmailRejection, isOurRecipient } from '@switchboard/channels';
import { EMAIL_ENV, EmailEnv } from './email.config';
import { ReceiveEmailUseCase } from './receive-email.use-case';

/** An SMTP reply other than 250: smtp-server sends `responseCode` and the message. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The SMTP server customers' mail arrives at (as MX, or behind a forwarding rule). A mail is
 * answered 250 only once what it became is on Kafka; a broker problem answers 451 so the sending
 * server retries later, and nothing accepted is ever lost.
 */
@Injectable()
export class SmtpIngress implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: SMTPServer;

  constructor(
    @Inject(EMAIL_ENV) private readonly env: EmailEnv,
    private readonly receive: ReceiveEmailUseCase,
    private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const tls = this.env.EMAIL_TLS_KEY_FILE && this.env.EMAIL_TLS_CERT_FILE ? { key: readFileSync(this.env.EMAIL_TLS_KEY_FILE), cert: readFileSync(this.env.EMAIL_TLS_CERT_FILE) } : undefined;
    const server = new SMTPServer({
      name: this.env.EMAIL_DOMAINS[0],
      banner: 'Switchboard support mail',
      size: this.env.EMAIL_MAX_BYTES,
      // A mail exchanger takes mail from anyone; who may write in is the recipient check's job.
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      logger: false,
      closeTimeout: 5_000,
      onRcptTo: (address, _session, callback) => {
        if (isOurRecipient(address.address, this.env.EMAIL_DOMAINS)) return callback();
        this.logger.info({ rcpt: address.address }, 'refused a recipient outside our domains');
        callback(smtpError(550, `5.7.1 <${address.address}>: we only accept mail for ${this.env.EMAIL_DOMAINS.join(', ')}`));
      },
      onData: (stream, session, callback) => {
        this.onData(stream, session).then(
          (reply) => callback(null, reply),
          (error: Error) => callback(error),
        );
      },
    });
    server.on('error', (error) => this.logger.error({ err: error.message }, 'SMTP server error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.env.EMAIL_SMTP_PORT, this.env.EMAIL_SMTP_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ host: this.env.EMAIL_SMTP_HOST, port: this.env.EMAIL_SMTP_PORT, domains: this.env.EMAIL_DOMAINS }, 'SMTP ingress listening');
  }

  /** Before Kafka disconnects: a mail in flight is still published (or refused 451) first. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await this.readLimited(stream);
    const recipients = session.envelope.rcptTo.map((r) => r.address);
    const fields = { session: session.id, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', bytes: raw?.length ?? stream.byteLength };
    if (!raw) {
      this.logger.info(fields, 'refused an oversize mail');
      throw smtpError(552, `5.3.4 message exceeds the maximum size of ${this.env.EMAIL_MAX_BYTES} bytes`);
    }
    try {
      const outcome = await this.receive.receive(raw, recipients, fields);
      switch (outcome.kind) {
        case 'inbound':
          return `2.0.0 queued as ${outcome.inbound.eventId}`;
        case 'bounce':
          return '2.0.0 bounce received';
        case 'own':
          // 250 so the sender does not retry: a loop ends here.
          return '2.0.0 dropped: mail from our own address';
      }
    } catch (error) {
      if (error instanceof EmailRejection) throw smtpError(550, `5.6.0 ${error.message}`);
      throw smtpError(451, '4.3.0 temporary failure, please retry later');
    }
  }

  /** The raw mail, or undefined once it is over the limit (the rest is read and discarded). */
  private readLimited(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= this.env.EMAIL_MAX_BYTES) chunks.push(chunk);
        else chunks.length = 0;
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(bytes > this.env.EMAIL_MAX_BYTES || stream.sizeExceeded ? undefined : Buffer.concat(chunks, bytes)));
    });
  }
}
