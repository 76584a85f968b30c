import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(cmd) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, cmd);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return null;
}

export function requireCommand(cmd, why) {
  const path = which(cmd);
  if (!path) throw new Error(`'${cmd}' is not on PATH; it is needed ${why}.`);
  return path;
}

// Children started in the foreground, so a signal handler can forward Ctrl-C
// and a failing phase never leaves a build or test runner behind.
const foreground = new Set();

// Signals every foreground child; children run with `group` get the whole
// process group, which reaches the test runners that npx and Nx spawn below them.
export function signalForeground(signal) {
  for (const child of foreground) killChild(child, signal);
}

function killChild(child, signal) {
  try {
    if (child.switchboardGroup) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

// Runs a command to completion. Resolves with its exit code (128+n when killed
// by signal n) rather than throwing, because callers decide what a failure means.
// `timeoutMs` is a watchdog for runners that never exit (a test leaving a
// socket open would otherwise hold CI until its own time limit).
export function run(cmd, args, { cwd, env, stdio = 'inherit', onLine, group = false, timeoutMs, name = cmd } = {}) {
  return new Promise((resolveCode, reject) => {
    const piped = typeof onLine === 'function';
    const child = spawn(cmd, args, {
      cwd,
      env,
      detached: group,
      stdio: piped ? [group ? 'ignore' : 'inherit', 'pipe', 'pipe'] : group ? ['ignore', 'inherit', 'inherit'] : stdio,
    });
    child.switchboardGroup = group;
    foreground.add(child);
    let watchdog;
    if (timeoutMs) {
      watchdog = setTimeout(() => {
        console.error(`\n${name} still running after ${Math.round(timeoutMs / 1000)} s; stopping it (something probably never exits, e.g. an open handle)`);
        killChild(child, 'SIGTERM');
        setTimeout(() => killChild(child, 'SIGKILL'), 10_000).unref();
      }, timeoutMs);
      watchdog.unref();
    }
    if (piped) {
      pipeLines(child.stdout, (l) => onLine(l, 'stdout'));
      pipeLines(child.stderr, (l) => onLine(l, 'stderr'));
    }
    child.once('error', (err) => {
      clearTimeout(watchdog);
      foreground.delete(child);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(watchdog);
      foreground.delete(child);
      resolveCode(code ?? 128 + signalNumber(signal));
    });
  });
}

export function capture(cmd, args, { cwd, env } = {}) {
  return new Promise((resolveOut, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) =>
      resolveOut({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

export function pipeLines(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const line of parts) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}

// Infrastructure must outlive the CLI that started it (`up` returns to the
// shell), so it gets its own process group and writes only to its log file.
export function spawnDetached(cmd, args, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  // A child we started and that already exited stays a zombie until Node
  // reaps it; it answers kill(0) but is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return existsSync('/proc') ? false : true;
  }
}

// Pids get reused; before signalling a recorded pid, make sure it is still the
// process we started. Where /proc is missing we cannot tell and trust the pid.
export function pidMatches(pid, needle) {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return !existsSync('/proc');
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // not a group leader (or already gone); fall back to the process itself
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// SIGTERM first so Kafka can close its logs cleanly (an unclean stop makes the
// next start slower with log recovery), SIGKILL if it ignores us.
export async function stopProcess(pid, { graceMs = 10_000, group = true } = {}) {
  if (!isAlive(pid)) return 'not running';
  const send = (sig) => (group ? signalGroup(pid, sig) : process.kill(pid, sig));
  send('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(100);
  }
  send('SIGKILL');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  return isAlive(pid) ? 'still running after SIGKILL' : 'killed';
}

export function tailFile(path, lines = 30) {
  try {
    const text = readFileSync(path, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}

export function readFrom(path, offset) {
  try {
    const buf = readFileSync(path);
    return buf.subarray(Math.min(offset, buf.length)).toString('utf8');
  } catch {
    return '';
  }
}

export function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function signalNumber(signal) {
  const table = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return table[signal] ?? 1;
}
