import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A provider's HTTP API played locally on loopback: the fakes share how they listen and stop. */
export abstract class LocalHttpFake {
  private server?: Server;

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error(`${this.constructor.name} is not started`);
    return `http://127.0.0.1:${address.port}`;
  }

  /** Port 0 (tests) lets the OS pick; the local sandbox asks for a fixed one. */
  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}
