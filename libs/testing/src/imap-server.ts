import hoodiecrow = require('hoodiecrow-imap');
import { Socket } from 'node:net';

/**
 * A real IMAP4rev1 server (hoodiecrow, in memory) holding one user's mailbox: the customer-facing
 * mailbox a team polls, in tests. Mail is put in as the user's provider would deliver it, and the
 * flags the client set are read back.
 */
export class ImapServer {
  readonly user = 'support@example.com';
  readonly password = 'app-password';
  port = 0;
  private server?: ReturnType<typeof hoodiecrow>;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly mailbox = 'INBOX') {}

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    const server = hoodiecrow({
      plugins: ['IDLE'],
      users: { [this.user]: { password: this.password } },
      storage: { [this.mailbox]: { messages: [] }, ...(this.mailbox.toUpperCase() === 'INBOX' ? {} : { INBOX: { messages: [] } }), '': { separator: '/' } },
    });
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this;
  }

  /** imap://user:pass@127.0.0.1:port, the user percent-encoded as a provider's address would be. */
  get url(): string {
    return `imap://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  /** Delivers a raw RFC 5322 mail into the mailbox (unseen unless flags say otherwise); its uid. */
  append(raw: string, flags: string[] = []): number {
    return this.requireServer().appendMessage(this.mailbox, flags, new Date(), raw).message.uid;
  }

  /** The flags of the mail with this uid (e.g. ['\\Seen']), undefined when there is none. */
  flags(uid: number): string[] | undefined {
    return this.box().messages.find((message) => message.uid === uid)?.flags.slice();
  }

  /** Drops every client connection, as a server restart or network failure would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private requireServer(): ReturnType<typeof hoodiecrow> {
    if (!this.server) throw new Error('the IMAP server is not started');
    return this.server;
  }

  private box(): { messages: { uid: number; flags: string[] }[] } {
    const box = this.requireServer().getMailbox(this.mailbox);
    if (!box) throw new Error(`no mailbox ${this.mailbox}`);
    return box;
  }
}
