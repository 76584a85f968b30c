import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { PinoLogger } from 'nestjs-pino';
import { EmailRejection } from '@switchboard/channels';
import { EMAIL_ENV, EmailEnv, ImapAccount, imapAccount } from './email.config';
import { ReceiveEmailUseCase } from './receive-email.use-case';

export type ImapState = 'off' | 'connecting' | 'polling' | 'failing' | 'stopped';

/**
 * Waits after the n-th consecutive failure: doubling from a second (or the poll interval, if
 * shorter) up to ten poll intervals, kept between one second and one minute.
 */
export function reconnectDelay(failures: number, pollMs: number): number {
  const cap = Math.min(60_000, Math.max(1_000, 10 * pollMs));
  return Math.min(cap, Math.min(1_000, pollMs) * 2 ** Math.min(failures - 1, 16));
}

/**
 * Polls an existing mailbox (EMAIL_IMAP_URL) for teams that cannot point MX at us. Every unseen
 * mail takes the very path an SMTP delivery takes, and is flagged \Seen only once what it became is
 * on Kafka: a crash or a broker failure leaves it unseen and it is read again on the next poll
 * (at least once; the event id from its Message-ID makes the second read harmless downstream).
 * Connection problems are logged and retried with backoff; they never stop the service.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly account?: ImapAccount;
  private client?: ImapFlow;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  state: ImapState = 'off';
  private lastError?: string;
  private lastPollAt?: Date;
  private failures = 0;

  constructor(
    @Inject(EMAIL_ENV) private readonly env: EmailEnv,
    private readonly receive: ReceiveEmailUseCase,
    private readonly logger: PinoLogger,
  ) {
    this.account = env.EMAIL_IMAP_URL ? imapAccount(env.EMAIL_IMAP_URL) : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.account) return;
    // Not awaited: a mailbox that is down must not hold up the SMTP ingress or the consumer.
    this.running = this.run(this.account).catch((error: unknown) => {
      this.state = 'failing';
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'IMAP poller stopped unexpectedly');
    });
  }

  /** Before Kafka disconnects: the mail in hand is published (and flagged) or left unseen first. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // A connection attempt to an unresponsive server is abandoned; a mail being taken is finished.
    if (this.state === 'connecting') this.client?.close();
    await this.running;
    this.state = this.account ? 'stopped' : 'off';
  }

  /** What `GET /health/imap` shows; `ok` is false while the mailbox cannot be polled. */
  status(): { ok: boolean; state: ImapState; mailbox?: string; lastPollAt?: string; failures: number; lastError?: string } {
    return {
      ok: this.state !== 'failing' && this.state !== 'connecting',
      state: this.state,
      ...(this.account ? { mailbox: this.env.EMAIL_IMAP_MAILBOX } : {}),
      ...(this.lastPollAt ? { lastPollAt: this.lastPollAt.toISOString() } : {}),
      failures: this.failures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private async run(account: ImapAccount): Promise<void> {
    const where = { imap: `${account.secure ? 'imaps' : 'imap'}://${account.host}:${account.port}`, mailbox: this.env.EMAIL_IMAP_MAILBOX };
    while (!this.stopping) {
      try {
        if (!this.client?.usable) await this.connect(account, where);
        if (this.stopping) break;
        await this.poll(where);
        this.failures = 0;
        this.lastPollAt = new Date();
        await this.sleep(this.env.EMAIL_IMAP_POLL_MS);
      } catch (error) {
        this.failures += 1;
        this.state = 'failing';
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = reconnectDelay(this.failures, this.env.EMAIL_IMAP_POLL_MS);
        this.logger.error({ ...where, err: this.lastError, failures: this.failures, retryInMs: delay }, 'IMAP mailbox unreachable, will reconnect');
        await this.disconnect();
        await this.sleep(delay);
      }
    }
    await this.disconnect(true);
  }

  private async connect(account: ImapAccount, where: Record<string, unknown>): Promise<void> {
    await this.disconnect();
    this.state = 'connecting';
    const client = new ImapFlow({
      host: account.host,
      port: account.port,
      secure: account.secure,
      auth: { user: account.user, pass: account.pass },
      logger: false,
      connectionTimeout: 30_000,
    });
    // An 'error' without a listener would crash the process; the poll loop notices `usable` turning false.
    client.on('error', (error: Error) => this.logger.warn({ ...where, err: error.message }, 'IMAP connection error'));
    // New mail announced while idling (IDLE, when the server has it) starts the next poll early.
    client.on('exists', () => this.wake?.());
    client.on('close', () => {
      if (this.client === client && !this.stopping) this.logger.warn(where, 'IMAP connection closed, reconnecting on the next poll');
    });
    this.client = client;
    await client.connect();
    this.logger.info(where, 'IMAP mailbox connected, polling for unseen mail');
  }

  private async poll(where: Record<string, unknown>): Promise<void> {
    const client = this.client as ImapFlow;
    const lock = await client.getMailboxLock(this.env.EMAIL_IMAP_MAILBOX);
    try {
      this.state = 'polling';
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids) {
        if (this.stopping) return;
        if (!(await this.take(client, uid, where))) return;
      }
    } finally {
      lock.release();
    }
  }

  /** One unseen mail; false when publishing failed, so the rest waits for the next poll too. */
  private async take(client: ImapFlow, uid: number, where: Record<string, unknown>): Promise<boolean> {
    const fetched = await client.fetchOne(String(uid), { uid: true, size: true, source: true }, { uid: true });
    if (!fetched) return true;
    const fields = { ...where, uid, bytes: fetched.size ?? fetched.source?.length };
    const raw = fetched.source;
    if (!raw || raw.length > this.env.EMAIL_MAX_BYTES) {
      // Flagged, or it would be fetched on every poll; it stays in the mailbox for a person to read.
      this.logger.warn(fields, 'skipped an oversize mail in the mailbox (flagged \\Seen, left in place)');
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      return true;
    }
    try {
      await this.receive.receive(raw, [], fields);
    } catch (error) {
      if (!(error instanceof EmailRejection)) return false;
      this.logger.warn(fields, 'a mail in the mailbox can never be taken (flagged \\Seen, left in place)');
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    return true;
  }

  /** Waits `ms`, or less when woken by new mail or shutdown. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async disconnect(graceful = false): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (graceful && client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}
