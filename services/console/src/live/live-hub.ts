import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { WebSocket } from 'ws';
import { SocketRefused, WebSocketEndpoint } from '@switchboard/service-kit';
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

  private readonly sockets = new Map<WebSocket, Principal>();
  private readonly endpoint = new WebSocketEndpoint<{ principal: Principal; expiresAt: number }>({
    path: LIVE_PATH,
    maxPayload: 1_024,
    // Another handler (or none) may own other paths on this server: not ours to answer.
    otherPaths: 'ignore',
    authenticate: (url) => {
      try {
        const token = url.searchParams.get('access_token') ?? '';
        return { principal: this.tokens.verify(token), expiresAt: this.tokens.expiryOf(token) };
      } catch (error) {
        throw new SocketRefused(401, error instanceof InvalidTokenError ? `access token refused: ${error.message}` : 'access token refused');
      }
    },
    onOpen: (ws, { principal, expiresAt }) => this.open(ws, principal, expiresAt),
    refusalBody: (status, reason) => ({ error: { code: status === 401 ? 'unauthorized' : 'not_found', message: reason } }),
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokens,
    private readonly logger: PinoLogger,
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  onApplicationBootstrap(): void {
    this.endpoint.attach(this.adapterHost.httpAdapter.getHttpServer());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.endpoint.close();
  }

  /** Sends the frame (built per user, or skipped when `frameFor` returns undefined) to every open socket. */
  broadcast(frameFor: (principal: Principal) => object | undefined): number {
    let sent = 0;
    for (const [ws, principal] of this.sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const frame = frameFor(principal);
      if (frame === undefined) continue;
      ws.send(JSON.stringify(frame));
      sent++;
    }
    return sent;
  }

  private open(ws: WebSocket, principal: Principal, expiresAt: number): void {
    const expiry = setTimeout(() => ws.close(4401, 'access token expired'), Math.max(0, expiresAt - Date.now())).unref();
    this.sockets.set(ws, principal);
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
  }
}
