// Just enough of the MongoDB wire protocol (OP_MSG + BSON) to ask a server
// `hello` and read `ok`, so health checks need no driver and no npm install.
import { tcpExchange } from './ports.mjs';

const OP_MSG = 2013;

function cstring(s) {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

export function encodeDocument(obj) {
  const parts = [];
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') {
      const str = Buffer.from(value, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32LE(str.length + 1, 0);
      parts.push(Buffer.from([0x02]), cstring(key), len, str, Buffer.from([0]));
    } else if (typeof value === 'boolean') {
      parts.push(Buffer.from([0x08]), cstring(key), Buffer.from([value ? 1 : 0]));
    } else if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
      const n = Buffer.alloc(4);
      n.writeInt32LE(value, 0);
      parts.push(Buffer.from([0x10]), cstring(key), n);
    } else if (typeof value === 'number') {
      const n = Buffer.alloc(8);
      n.writeDoubleLE(value, 0);
      parts.push(Buffer.from([0x01]), cstring(key), n);
    } else {
      throw new Error(`encodeDocument: unsupported value for ${key}`);
    }
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeInt32LE(4 + body.length + 1, 0);
  return Buffer.concat([head, body, Buffer.from([0])]);
}

// Top-level scalar fields only; nested documents and unusual types are skipped
// or end the scan, which is fine for reading `ok` and `errmsg`.
export function decodeScalars(buf, start = 0) {
  const out = {};
  const end = start + buf.readInt32LE(start) - 1;
  let i = start + 4;
  while (i < end) {
    const type = buf[i++];
    const keyEnd = buf.indexOf(0, i);
    const key = buf.toString('utf8', i, keyEnd);
    i = keyEnd + 1;
    switch (type) {
      case 0x01: out[key] = buf.readDoubleLE(i); i += 8; break;
      case 0x02: { const n = buf.readInt32LE(i); out[key] = buf.toString('utf8', i + 4, i + 4 + n - 1); i += 4 + n; break; }
      case 0x03: case 0x04: i += buf.readInt32LE(i); break;
      case 0x05: i += 4 + 1 + buf.readInt32LE(i); break;
      case 0x07: i += 12; break;
      case 0x08: out[key] = buf[i] === 1; i += 1; break;
      case 0x09: case 0x11: i += 8; break;
      case 0x0a: out[key] = null; break;
      case 0x10: out[key] = buf.readInt32LE(i); i += 4; break;
      case 0x12: out[key] = Number(buf.readBigInt64LE(i)); i += 8; break;
      case 0x13: i += 16; break;
      default: return out;
    }
  }
  return out;
}

export function opMsg(requestId, doc) {
  const body = encodeDocument(doc);
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, body]);
}

export async function mongoHello(port, host = '127.0.0.1') {
  const requestId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  const reply = await tcpExchange({
    port,
    host,
    request: opMsg(requestId, { hello: 1, $db: 'admin' }),
    isComplete: (b) => b.length >= 4 && b.length >= b.readInt32LE(0),
  });
  if (reply.readInt32LE(12) !== OP_MSG || reply.readInt32LE(8) !== requestId) {
    throw new Error('reply is not an OP_MSG answer to our hello');
  }
  if (reply[20] !== 0) throw new Error('unexpected OP_MSG section kind in reply');
  return decodeScalars(reply, 21);
}

export async function mongoAnswers(port, host = '127.0.0.1') {
  try {
    const doc = await mongoHello(port, host);
    return doc.ok === 1 || doc.ok === true;
  } catch {
    return false;
  }
}
