import net from 'node:net';

// Ask the kernel for a port that is free right now. There is a small window
// before the real server binds it, which is acceptable for local runs and far
// safer than fixed ports when several test runs share a machine.
export function freePort(host = '127.0.0.1') {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

export async function freePorts(n, host = '127.0.0.1') {
  // Hold all listeners open together so the kernel cannot hand out the same
  // port twice within one request.
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise((ok, fail) => {
        srv.once('error', fail);
        srv.listen(0, host, ok);
      });
      servers.push(srv);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((ok) => s.close(() => ok()))));
  }
}

export function isPortOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolveOpen) => {
    const sock = net.connect({ port, host });
    const done = (open) => {
      sock.destroy();
      resolveOpen(open);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

// One request/response exchange over a fresh TCP connection. `isComplete`
// decides when enough bytes have arrived, so callers can speak length-prefixed
// protocols without a streaming parser.
export function tcpExchange({ port, host = '127.0.0.1', request, isComplete, timeoutMs = 3000 }) {
  return new Promise((resolveReply, reject) => {
    const sock = net.connect({ port, host });
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      if (err) reject(err);
      else resolveReply(value);
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`)));
    sock.once('error', (err) => finish(err));
    sock.once('connect', () => sock.write(request));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (isComplete(buf)) finish(null, buf);
    });
    sock.once('end', () => finish(new Error(`connection to ${host}:${port} closed before a full reply`)));
  });
}

// Binding is the honest test of "can our server have this port": a connect
// probe misses listeners on other addresses that would still make bind fail.
export function canBind(port, host = '127.0.0.1') {
  return new Promise((resolveFree) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolveFree(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolveFree(true)));
  });
}
