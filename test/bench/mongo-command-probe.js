// Preloaded into services under a benchmark (NODE_OPTIONS="-r ./test/bench/mongo-command-probe.js",
// MONGO_PROBE_DIR=<dir>): tallies every MongoDB command the process sends by command, collection and
// filter shape (values replaced by their type), with count and time, and writes the tally to
// <dir>/<service>-<pid>.json every 2 s and at exit. `pushdown` marks a filter that deploy/local's
// FerretDB build hands to SQLite's `_id` index: one with `_id` equal to a string or ObjectID, or
// `_id: {$in: [...]}` of them, whatever else it has (the rest is matched in Go on those documents).
// Every other filter is decoded and matched document by document in Go, over the whole collection.
'use strict';
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.MONGO_PROBE_DIR;
const service = /services\/([a-z-]+)\/src\/main\.js$/.exec(process.argv[1] ?? '')?.[1];
if (dir && service) {
  const { MongoClient } = require('mongodb');
  const tally = new Map();
  const started = new Map();

  const shapeOf = (value) => {
    if (value === null || value === undefined) return String(value);
    if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${shapeOf(value[0])}]`;
    if (value instanceof Date) return 'date';
    if (typeof value === 'object' && value._bsontype) return value._bsontype;
    if (typeof value === 'object') return `{${Object.keys(value).map((k) => `${k}:${shapeOf(value[k])}`).join(',')}}`;
    return typeof value;
  };
  const isId = (id) => typeof id === 'string' || id?._bsontype === 'ObjectId';
  // deploy/local's FerretDB also reads `{_id: {$in: [...]}}` of ids by the index (its third patch).
  const pushedDown = (filter) =>
    !!filter && (isId(filter._id) || (Object.keys(filter._id ?? {}).length === 1 && Array.isArray(filter._id?.$in) && filter._id.$in.every(isId)));
  const describe = (name, command) => {
    const collection = command[name];
    switch (name) {
      case 'find':
        return { collection, shape: `${shapeOf(command.filter ?? {})}${command.sort ? ` sort ${Object.keys(command.sort)}` : ''}${command.limit ? ` limit` : ''}`, pushdown: pushedDown(command.filter) };
      case 'update':
        return { collection, shape: command.updates.map((u) => `${shapeOf(u.q)} ${Object.keys(u.u ?? {}).join(',')}${u.upsert ? ' upsert' : ''}`).join('; '), pushdown: command.updates.every((u) => pushedDown(u.q)) };
      case 'delete':
        return { collection, shape: command.deletes.map((d) => shapeOf(d.q)).join('; '), pushdown: command.deletes.every((d) => pushedDown(d.q)) };
      case 'findAndModify':
        return { collection, shape: `${shapeOf(command.query)} ${Object.keys(command.update ?? {}).join(',')}${command.upsert ? ' upsert' : ''}`, pushdown: pushedDown(command.query) };
      case 'insert':
        return { collection, shape: `${command.documents.length} doc(s)`, pushdown: true };
      case 'count':
      case 'aggregate':
      case 'distinct':
        return { collection, shape: shapeOf(command.query ?? command.pipeline), pushdown: false };
      default:
        return { collection: typeof collection === 'string' ? collection : '', shape: '', pushdown: true };
    }
  };

  const connect = MongoClient.prototype.connect;
  MongoClient.prototype.connect = function probedConnect(...args) {
    if (!this.__probed) {
      this.__probed = true;
      this.monitorCommands = true;
      this.on('commandStarted', (e) => {
        if (['hello', 'isMaster', 'ping', 'endSessions', 'saslStart', 'saslContinue'].includes(e.commandName)) return;
        started.set(e.requestId, { at: process.hrtime.bigint(), ...describe(e.commandName, e.command), name: e.commandName });
      });
      const done = (failed) => (e) => {
        const s = started.get(e.requestId);
        if (!s) return;
        started.delete(e.requestId);
        const key = `${s.name} ${s.collection} ${s.shape}`;
        const entry = tally.get(key) ?? { command: s.name, collection: s.collection, shape: s.shape, pushdown: s.pushdown, count: 0, failed: 0, totalMs: 0, maxMs: 0 };
        const ms = Number(process.hrtime.bigint() - s.at) / 1e6;
        entry.count++;
        if (failed) entry.failed++;
        entry.totalMs += ms;
        entry.maxMs = Math.max(entry.maxMs, ms);
        tally.set(key, entry);
      };
      this.on('commandSucceeded', done(false));
      this.on('commandFailed', done(true));
    }
    return connect.apply(this, args);
  };

  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${service}-${process.pid}.json`);
  const write = () => writeFileSync(file, JSON.stringify({ service, pid: process.pid, commands: [...tally.values()] }, null, 1));
  setInterval(write, 2_000).unref();
  process.on('exit', write);
}
