// Sums a command-probe directory (test/bench/mongo-command-probe.js) per service:
// `node test/bench/load/probe-summary.js <dir> [service] [messages]`
// (for the router, messages default to the ticket messages it inserted) prints commands and database
// time in all and, given the number of messages the service handled, per message; then the
// costliest command shapes, those FerretDB v1 does not hand to SQLite marked `scan`.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const [dir, only = 'router', given] = process.argv.slice(2);
const commands = readdirSync(dir)
  .filter((f) => f.startsWith(`${only}-`) && f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).commands);
const count = commands.reduce((n, c) => n + c.count, 0);
const ms = commands.reduce((n, c) => n + c.totalMs, 0);
// The router stores each message it handles once: that count, unless one is given.
// An insert's shape is `<n> doc(s)`: a batch stores many messages in one command.
const stored = commands.filter((c) => c.command === 'insert' && c.collection === 'ticket_messages').reduce((n, c) => n + c.count * (parseInt(c.shape, 10) || 1), 0);
const messages = Number(given) || (only === 'router' ? stored : 0);
const per = messages ? ` (${(count / messages).toFixed(1)} commands, ${(ms / messages).toFixed(0)} ms per message over ${messages})` : '';
console.log(`${only}: ${count} commands, ${(ms / 1000).toFixed(1)} s of database time${per}`);
for (const c of commands.sort((a, b) => b.totalMs - a.totalMs).slice(0, 20)) {
  console.log(`${String(c.count).padStart(6)} ${(c.totalMs / c.count).toFixed(1).padStart(7)} ms ${c.pushdown ? '    ' : 'scan'} ${c.command} ${c.collection} ${c.shape}`.slice(0, 220));
}
