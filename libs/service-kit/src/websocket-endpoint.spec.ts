import { createServer, get, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { SocketRefused, WebSocketEndpoint } from './websocket-endpoint';

describe('WebSocketEndpoint', () => {
  let http: Server;
  let endpoint: WebSocketEndpoint<string>;
  let base: string;
  const opened: string[] = [];

  beforeEach(async () => {
    http = createServer((_req, res) => res.end('plain http'));
    endpoint = new WebSocketEndpoint<string>({
      path: '/ws',
      maxPayload: 64,
      otherPaths: 'refuse',
      authenticate: (url) => {
        const user = url.searchParams.get('user');
        if (!user) throw new SocketRefused(401, 'who are you?');
        return user;
      },
      onOpen: (ws, user) => {
        opened.push(user);
        ws.send(`hello ${user}`);
      },
      refusalBody: (status, message) => ({ status, message }),
    });
    endpoint.attach(http);
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    base = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await endpoint.close();
    await new Promise((ok) => http.close(ok));
    opened.length = 0;
  });

  function refusal(path: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${base}${path}`);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
      });
      ws.on('open', () => reject(new Error('opened')));
      ws.on('error', () => undefined);
    });
  }

  it('opens a socket for whoever authenticate admits', async () => {
    const ws = new WebSocket(`ws://${base}/ws?user=ana`);
    const first = await new Promise<string>((ok) => ws.once('message', (data) => ok(data.toString())));
    expect(first).toBe('hello ana');
    expect(opened).toEqual(['ana']);
    expect(endpoint.size).toBe(1);
    ws.close();
  });

  it('answers a refused upgrade with the status and the service-shaped body', async () => {
    await expect(refusal('/ws')).resolves.toEqual({ status: 401, body: { status: 401, message: 'who are you?' } });
    await expect(refusal('/elsewhere')).resolves.toEqual({ status: 404, body: { status: 404, message: 'no WebSocket here; use /ws' } });
    expect(opened).toEqual([]);
  });

  it('leaves plain HTTP requests alone', async () => {
    const body = await new Promise<string>((ok) => get(`http://${base}/ws`, (res) => res.on('data', (d: Buffer) => ok(d.toString()))));
    expect(body).toBe('plain http');
  });

  it('closes open sockets with 1001 on shutdown, so the HTTP server can stop', async () => {
    const ws = new WebSocket(`ws://${base}/ws?user=budi`);
    await new Promise((ok) => ws.once('open', ok));
    const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
    await endpoint.close();
    expect(await closed).toBe(1001);
    expect(endpoint.size).toBe(0);
  });
});
