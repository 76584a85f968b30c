import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './topic-reader';

export interface SunkMail {
  envelope: { mailFrom: string; rcptTo: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** Lower-case header name to its value as written (unfolded). */
  headers: Record<string, string>;
  /** When (epoch ms) the session was opened, MAIL FROM came, DATA began and ended, and the mail was parsed. */
  timings: { connectedAt: number; mailFromAt: number; dataAt: number; receivedAt: number; parsedAt: number };
}

/**
 * A real SMTP server that keeps and parses what it receives: the outbound relay in tests and in
 * the local demo. Recipients can be made to fail with a given SMTP reply, as a remote server would.
 */
export class SmtpSink {
  readonly mails: SunkMail[] = [];
  /** SMTP connections opened so far (a pooled sender reuses its few). */
  connections = 0;
  /** How long the end of DATA waits for its 250: a slow relay (settable while running). */
  replyDelayMs = 0;
  /** Mails mailparser could not parse (kept nowhere; answered 5xx unless `replyBeforeParse`). */
  unparsed = 0;
  port = 0;
  private readonly failing = new Map<string, { code: number; message: string; times: number }>();
  private server?: SMTPServer;
  private readonly sessionTimes = new Map<string, { connectedAt: number; mailFromAt: number }>();

  /**
   * `replyBeforeParse`: answer 250 at the end of DATA, as a relay that queues the mail, and parse
   * it afterwards (it shows in `mails` a moment later). By default the 250 waits for the parse,
   * so a test sees the mail as soon as the send resolved; in a busy process (the load
   * benchmark's, which hosts every fake) that parse took up to 12 s, and held the sender's
   * connection, and with it channel-email's Kafka consumer, all that time.
   */
  constructor(private readonly options: { replyBeforeParse?: boolean } = {}) {}

  /** RCPT TO `address` is answered `code message` from now on, or only the next `times` times. */
  failRecipient(address: string, code: number, message: string, times = Infinity): this {
    this.failing.set(address.toLowerCase(), { code, message, times });
    return this;
  }

  /** `address` is accepted again, as when a full mailbox has room. */
  acceptRecipient(address: string): this {
    this.failing.delete(address.toLowerCase());
    return this;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1_000,
      // A relay would look the client's name up; here it only delays every new connection's greeting.
      disableReverseLookup: true,
      onConnect: (session, callback) => {
        this.connections += 1;
        this.sessionTimes.set(session.id, { connectedAt: Date.now(), mailFromAt: 0 });
        callback();
      },
      onClose: (session) => this.sessionTimes.delete(session.id),
      onMailFrom: (_address, session, callback) => {
        const times = this.sessionTimes.get(session.id);
        if (times) times.mailFromAt = Date.now();
        callback();
      },
      onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
      onRcptTo: (address, _session, callback) => {
        const failure = this.failing.get(address.address.toLowerCase());
        if (failure && --failure.times <= 0) this.failing.delete(address.address.toLowerCase());
        callback(failure ? Object.assign(new Error(failure.message), { responseCode: failure.code }) : undefined);
      },
      onData: (stream, session, callback) => {
        const dataAt = Date.now();
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const receivedAt = Date.now();
          const { connectedAt, mailFromAt } = this.sessionTimes.get(session.id) ?? { connectedAt: 0, mailFromAt: 0 };
          const envelope = { mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', rcptTo: session.envelope.rcptTo.map((r) => r.address) };
          const reply = (error?: Error) => (this.replyDelayMs > 0 ? setTimeout(() => callback(error), this.replyDelayMs) : callback(error));
          if (this.options.replyBeforeParse) reply();
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const headers: Record<string, string> = {};
              for (const { key, line } of parsed.headerLines) headers[key.toLowerCase()] ??= line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
              this.mails.push({ envelope, raw, parsed, headers, timings: { connectedAt, mailFromAt, dataAt, receivedAt, parsedAt: Date.now() } });
              if (!this.options.replyBeforeParse) reply();
            },
            (error: Error) => {
              this.unparsed += 1;
              if (!this.options.replyBeforeParse) reply(error);
            },
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    server.on('error', () => undefined);
    const address = server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first mail to `address` matching `predicate`, waiting for it to arrive. */
  waitFor(address: string, predicate: (mail: SunkMail) => boolean = () => true, timeoutMs = 30_000): Promise<SunkMail> {
    return eventually(() => this.to(address).find(predicate), timeoutMs, `no mail to ${address} arrived at the SMTP sink`);
  }

  to(address: string): SunkMail[] {
    return this.mails.filter((mail) => mail.envelope.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase()));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
