import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { IdentityError, verifyIdentity } from '@switchboard/channels';
import { SocketRefused, WebSocketEndpoint } from '@switchboard/service-kit';
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

  private readonly byUser = new Map<string, Set<WebSocket>>();
  private readonly endpoint = new WebSocketEndpoint<string>({
    path: SOCKET_PATH,
    maxPayload: 4_096,
    otherPaths: 'refuse',
    authenticate: (url) => {
      try {
        return verifyIdentity(url.searchParams.get('token') ?? '', this.env.INAPP_IDENTITY_SECRET, Math.floor(Date.now() / 1000)).sub;
      } catch (error) {
        throw new SocketRefused(401, error instanceof IdentityError ? `identity token refused: ${error.message}` : 'identity token refused');
      }
    },
    onOpen: (ws, userId) => this.attach(userId, ws),
    refusalBody: (statusCode, message) => ({ statusCode, message }),
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INAPP_ENV) private readonly env: InappEnv,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.endpoint.attach(this.adapterHost.httpAdapter.getHttpServer());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.endpoint.close();
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
