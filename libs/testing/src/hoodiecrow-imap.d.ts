/** The parts of hoodiecrow-imap (a scriptable IMAP4rev1 server, no published types) that ImapServer uses. */
declare module 'hoodiecrow-imap' {
  import { Server } from 'node:net';

  interface HoodiecrowMessage {
    uid: number;
    flags: string[];
    raw: string;
    internaldate: string;
  }

  interface HoodiecrowMailbox {
    messages: HoodiecrowMessage[];
  }

  interface HoodiecrowOptions {
    plugins?: string[];
    users?: Record<string, { password: string }>;
    storage?: Record<string, { messages?: Partial<HoodiecrowMessage>[]; separator?: string; folders?: Record<string, unknown> }>;
    debug?: boolean;
  }

  interface HoodiecrowServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
    getMailbox(path: string): HoodiecrowMailbox | undefined;
    appendMessage(mailbox: string, flags: string[], internaldate: Date, raw: string): { message: HoodiecrowMessage };
  }

  function hoodiecrow(options?: HoodiecrowOptions): HoodiecrowServer;
  export = hoodiecrow;
}
