// A Kafka broker and a MongoDB-wire server of the run's own, started through deploy/local, so
// they can be killed and restarted without touching anybody else's.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface ComponentState {
  managed?: boolean;
  pid?: number;
  port?: number;
}

interface InfraState {
  kafka?: ComponentState;
  mongo?: ComponentState;
  kafkaBrokers?: string;
  mongoUrl?: string;
}

interface InfraModule {
  up(profile: string, options: { osPorts?: boolean; log?: (line: string) => void }): Promise<InfraState>;
  down(profile: string, options: { wipe?: boolean; log?: (line: string) => void }): Promise<void>;
  readState(profile: string): InfraState | null;
}

// deploy/local is plain ESM without dependencies; a real dynamic import (which the CommonJS
// transform would otherwise turn into require) loads it as such.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export type InfraComponent = 'kafka' | 'mongo';

export class OwnInfra {
  readonly profile: string;
  kafkaBrokers = '';
  mongoUrl = '';
  private module?: InfraModule;

  constructor(
    private readonly log: (line: string) => void = (line) => console.error(`[infra] ${line}`),
    label = 'chaos',
  ) {
    this.profile = `${label}-${process.pid}`;
  }

  private async infra(): Promise<InfraModule> {
    this.module ??= (await importEsm(resolve(__dirname, '../../deploy/local/infra.mjs'))) as InfraModule;
    return this.module;
  }

  /** Starts what is not running (both at first, one after a kill), on the ports the profile had. */
  async up(): Promise<void> {
    // Set addresses mean "use that server" to deploy/local: hide them, or a dead broker of ours would count as external.
    const saved = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, MONGO_URL: process.env.MONGO_URL };
    delete process.env.KAFKA_BROKERS;
    delete process.env.MONGO_URL;
    try {
      const state = await (await this.infra()).up(this.profile, { osPorts: true, log: this.log });
      if (!state.kafkaBrokers || !state.mongoUrl) throw new Error('deploy/local did not report the addresses');
      this.kafkaBrokers = state.kafkaBrokers;
      this.mongoUrl = state.mongoUrl;
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
  }

  pid(component: InfraComponent): number {
    const pid = (this.module?.readState(this.profile) ?? {})[component]?.pid;
    if (!pid) throw new Error(`${component} of profile ${this.profile} has no pid`);
    return pid;
  }

  /** kill -9 of the whole process group: the server gets no chance to flush or close anything. */
  kill(component: InfraComponent): void {
    const pid = this.pid(component);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
  }

  async waitGone(component: InfraComponent): Promise<void> {
    const pid = this.pid(component);
    for (let i = 0; i < 100; i++) {
      if (!alive(pid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async down(wipe: boolean): Promise<void> {
    if (!this.module) return;
    await this.module.down(this.profile, { wipe, log: this.log });
  }
}

/** Running, not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
