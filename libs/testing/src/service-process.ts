import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { eventually } from './topic-reader';

const ROOT = resolve(__dirname, '../../..');

/** A port the OS says is free now; services under test bind it right after. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

export interface ServiceProcessOptions {
  name: string;
  /** The variable the service reads its HTTP port from (PORT or HEALTH_PORT). */
  portEnv: string;
  env: Record<string, string>;
  logDir: string;
  /** Log file name when several instances of one service run (default: the service name). */
  logName?: string;
}

/** One service, compiled, as its own OS process: the way it runs in production. */
export class ServiceProcess {
  port = 0;
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited?: Promise<number | null>;

  constructor(private readonly options: ServiceProcessOptions) {}

  /** The OS process id while running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const entry = join(ROOT, 'dist/services', this.options.name, 'src/main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    this.port ||= await freePort();
    mkdirSync(this.options.logDir, { recursive: true });
    this.log = createWriteStream(join(this.options.logDir, `${this.options.logName ?? this.options.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...this.options.env, [this.options.portEnv]: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`${this.options.name} exited with ${child.exitCode}; see ${this.options.logDir}`);
      return this.healthy();
    }, 60_000, `${this.options.name} did not become healthy`);
    return this;
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/health`)).ok;
    } catch {
      return false;
    }
  }

  /** Graceful stop (SIGTERM): the service finishes what it holds and commits its offsets. */
  async stop(graceMs = 20_000): Promise<number | null> {
    const timer = setTimeout(() => {
      console.error(`${this.options.name} still running ${graceMs} ms after SIGTERM: killing it`);
      this.child?.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.signal('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Crash (SIGKILL): nothing is flushed, nothing is committed. */
  kill(): Promise<number | null> {
    return this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    const code = await this.exited;
    this.log?.end();
    return code ?? null;
  }
}
