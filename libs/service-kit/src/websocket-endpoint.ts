import { IncomingMessage, Server, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';

/** Thrown by `authenticate` to answer the upgrade request with an HTTP error instead of a socket. */
export class SocketRefused extends Error {
  constructor(
    readonly status: 401 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

export interface WebSocketEndpointOptions<Who> {
  path: string;
  maxPayload: number;
  /** Who is connecting, from the request URL (tokens travel in the query: browsers cannot set headers on WebSockets). */
  authenticate(url: URL): Who;
  /** The socket is open and counted; wire its listeners here. */
  onOpen(ws: WebSocket, who: Who): void;
  /** Upgrades for other paths: `ignore` when another handler on the same server may own them. */
  otherPaths: 'ignore' | 'refuse';
  /** The JSON body of a refusal, in the service's own error format. */
  refusalBody(status: number, reason: string): object;
  heartbeatMs?: number;
}

/**
 * A WebSocket path on a service's HTTP server: authentication at the upgrade, a heartbeat that
 * frees sockets whose peer vanished without closing (phones leaving a network), and a shutdown
 * that closes sockets before the HTTP server, which an open socket would otherwise hold up forever.
 */
export class WebSocketEndpoint<Who> {
  private readonly server: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly options: WebSocketEndpointOptions<Who>) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  }

  get size(): number {
    return this.server.clients.size;
  }

  attach(http: Server): void {
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    const alive = new WeakSet<WebSocket>();
    this.server.on('connection', (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
    this.heartbeat = setInterval(() => {
      for (const ws of this.server.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, this.options.heartbeatMs ?? 30_000).unref();
  }

  /** Closes every socket (1001), waits up to a second for the peers to answer, then cuts the rest. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.server.clients) ws.close(1001, 'server shutting down');
    for (let waited = 0; this.server.clients.size > 0 && waited < 1_000; waited += 50) await sleep(50);
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.options.path) {
      if (this.options.otherPaths === 'refuse') this.refuse(socket, 404, `no WebSocket here; use ${this.options.path}`);
      return;
    }
    let who: Who;
    try {
      who = this.options.authenticate(url);
    } catch (error) {
      if (error instanceof SocketRefused) return this.refuse(socket, error.status, error.message);
      return this.refuse(socket, 401, 'refused');
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.server.emit('connection', ws, request);
      this.options.onOpen(ws, who);
    });
  }

  private refuse(socket: Duplex, status: number, reason: string): void {
    const body = JSON.stringify(this.options.refusalBody(status, reason));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}
