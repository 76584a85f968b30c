import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** What the provider does for now: answer normally, fail with a status, or never answer. */
export type ProviderFault = { kind: 'none' } | { kind: 'status'; status: number } | { kind: 'hang' };

/**
 * Sits between a channel service and a provider fake (the service's API base URL points here) and
 * plays a provider outage on demand: 5xx answers, or calls that get no answer until the outage
 * ends (then the connection drops, as a load balancer timing out would). Requests during `none`
 * pass through untouched, so the fake keeps recording what really reached the provider.
 */
export class FaultProxy {
  fault: ProviderFault = { kind: 'none' };
  /** Calls answered by the fault instead of the provider, by fault kind. */
  readonly faulted = { status: 0, hang: 0 };
  private server?: Server;
  private readonly held = new Set<Socket>();

  constructor(private readonly target: () => string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('FaultProxy is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return this;
  }

  /** Ends the current fault; held calls are dropped, so their callers see a reset connection. */
  heal(): void {
    this.fault = { kind: 'none' };
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  async stop(): Promise<void> {
    this.heal();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const fault = this.fault;
    if (fault.kind === 'hang') {
      this.faulted.hang++;
      this.held.add(req.socket);
      req.resume();
      return;
    }
    if (fault.kind === 'status') {
      this.faulted.status++;
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'injected provider outage', status: fault.status, code: 20500 }));
      return;
    }
    const target = new URL(req.url ?? '/', this.target());
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  }
}
