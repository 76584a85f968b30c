import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpAdapterHost } from '@nestjs/core';
import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { PinoLogger } from 'nestjs-pino';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { IdentityError, verifyIdentity } from '@switchboard/channels';
import { INAPP_ENV, InappEnv } from './inapp.config';

export const SOCKET_PATH = '/v1/ws';

const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ack'), id: z.string().min(1).max(200) }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);

/**
 * The customers' WebSockets (`/v1/ws?token=<identity token>`), by user. A user may have several
 * (phone and tablet); a message goes to all of them.
 */
@Injectable()
export class CustomerSockets implements OnApplicationBootstrap, BeforeApplicationShutdown {
  onConnect: (userId: string) => Promise<void> = async () => undefined;
  onAck: (userId: string, id: string) => Promise<void> = async () => undefined;

  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4_096 });
  private readonly byUser = new Map<string, Set<WebSocket>>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INAPP_ENV) private readonly env: InappEnv,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const http: Server = this.adapterHost.httpAdapter.getHttpServer();
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    // Phones drop off networks without closing; a missed pong frees the socket.
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

  /** Before the HTTP server closes: an open socket would otherwise hold the process up forever. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.server.clients) ws.close(1001, 'server shutting down');
    for (let waited = 0; this.server.clients.size > 0 && waited < 1_000; waited += 50) await sleep(50);
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }

  isConnected(userId: string): boolean {
    return (this.byUser.get(userId)?.size ?? 0) > 0;
  }

  /** Returns how many of the user's sockets the frame was written to. */
  push(userId: string, frame: object): number {
    const sockets = [...(this.byUser.get(userId) ?? [])].filter((ws) => ws.readyState === WebSocket.OPEN);
    const data = JSON.stringify(frame);
    for (const ws of sockets) ws.send(data);
    return sockets.length;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== SOCKET_PATH) return refuse(socket, 404, 'no WebSocket here; use /v1/ws');
    let userId: string;
    try {
      userId = verifyIdentity(url.searchParams.get('token') ?? '', this.env.INAPP_IDENTITY_SECRET, Math.floor(Date.now() / 1000)).sub;
    } catch (error) {
      return refuse(socket, 401, error instanceof IdentityError ? `identity token refused: ${error.message}` : 'identity token refused');
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.server.emit('connection', ws, request);
      this.attach(userId, ws);
    });
  }

  private attach(userId: string, ws: WebSocket): void {
    const sockets = this.byUser.get(userId) ?? new Set<WebSocket>();
    sockets.add(ws);
    this.byUser.set(userId, sockets);
    ws.on('close', () => {
      sockets.delete(ws);
      if (sockets.size === 0) this.byUser.delete(userId);
    });
    ws.on('error', (error) => this.logger.warn({ userId, err: error.message }, 'customer socket error'));
    ws.on('message', (data) => this.receive(userId, ws, data.toString()));
    ws.send(JSON.stringify({ type: 'ready', userId }));
    this.run(this.onConnect(userId), { userId }, 'sending pending messages failed');
  }

  private receive(userId: string, ws: WebSocket, data: string): void {
    let frame: z.infer<typeof clientFrameSchema>;
    try {
      frame = clientFrameSchema.parse(JSON.parse(data));
    } catch {
      ws.send(JSON.stringify({ type: 'error', message: 'expected {"type":"ack","id":"..."} or {"type":"ping"}' }));
      return;
    }
    if (frame.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    else this.run(this.onAck(userId, frame.id), { userId, id: frame.id }, 'recording an ack failed');
  }

  private run(work: Promise<void>, fields: object, message: string): void {
    work.catch((error: unknown) => this.logger.error({ ...fields, err: error instanceof Error ? error.message : String(error) }, message));
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ statusCode: status, message: reason });
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
