import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { PinoLogger } from 'nestjs-pino';
import { WebSocket, WebSocketServer } from 'ws';
import { Principal } from '../access/principal';
import { AccessTokens, InvalidTokenError } from '../auth/access-token';

export const LIVE_PATH = '/api/live';

/**
 * The console's WebSockets (`/api/live?access_token=<JWT>`). Server → client only; each frame
 * goes to the sockets whose user the caller's predicate admits. A socket is closed (4401) when its
 * access token expires: the client reconnects with a fresh one.
 */
@Injectable()
export class LiveHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  onConnect: (principal: Principal, send: (frame: object) => void) => Promise<void> = async () => undefined;

  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 1_024 });
  private readonly sockets = new Map<WebSocket, { principal: Principal; expiry: NodeJS.Timeout }>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokens,
    private readonly logger: PinoLogger,
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  onApplicationBootstrap(): void {
    const http: Server = this.adapterHost.httpAdapter.getHttpServer();
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
    }, 30_000).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.server.clients) ws.close(1001, 'server shutting down');
    for (let waited = 0; this.server.clients.size > 0 && waited < 1_000; waited += 50) await sleep(50);
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }

  /** Sends the frame (built per user, or skipped when `frameFor` returns undefined) to every open socket. */
  broadcast(frameFor: (principal: Principal) => object | undefined): number {
    let sent = 0;
    for (const [ws, { principal }] of this.sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const frame = frameFor(principal);
      if (frame === undefined) continue;
      ws.send(JSON.stringify(frame));
      sent++;
    }
    return sent;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) return; // another handler's path (or none): not ours to answer
    let principal: Principal;
    let expiresAt: number;
    try {
      const token = url.searchParams.get('access_token') ?? '';
      principal = this.tokens.verify(token);
      expiresAt = this.tokens.expiryOf(token);
    } catch (error) {
      return refuse(socket, error instanceof InvalidTokenError ? `access token refused: ${error.message}` : 'access token refused');
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.server.emit('connection', ws, request);
      const expiry = setTimeout(() => ws.close(4401, 'access token expired'), Math.max(0, expiresAt - Date.now())).unref();
      this.sockets.set(ws, { principal, expiry });
      ws.on('close', () => {
        clearTimeout(expiry);
        this.sockets.delete(ws);
      });
      ws.on('error', (error) => this.logger.warn({ user: principal.id, err: error.message }, 'console socket error'));
      // Clients only listen; anything they send is ignored except a ping.
      ws.on('message', (data) => {
        if (data.toString() === '{"type":"ping"}') ws.send('{"type":"pong"}');
      });
      const send = (frame: object) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame));
      send({ type: 'ready', user: { id: principal.id, role: principal.role, agentId: principal.agentId ?? null, queues: principal.queues } });
      this.onConnect(principal, send).catch((error: unknown) => this.logger.warn({ user: principal.id, err: error instanceof Error ? error.message : String(error) }, 'first frames failed'));
    });
  }
}

function refuse(socket: Duplex, reason: string): void {
  const body = JSON.stringify({ error: { code: 'unauthorized', message: reason } });
  socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
