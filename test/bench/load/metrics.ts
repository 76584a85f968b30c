import { readFileSync } from 'node:fs';
import { Admin } from 'kafkajs';

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

const TICKS = 100; // USER_HZ on Linux
const PAGE = 4096;

/** CPU (share of one core) and RSS per process over a window, from /proc. */
export class ProcessSampler {
  private readonly first = new Map<string, { ticks: number; at: number }>();
  private readonly rssMax = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  start(): this {
    this.first.clear();
    this.rssMax.clear();
    for (const [name, pid] of Object.entries(this.pids())) {
      const s = pid ? stat(pid) : undefined;
      if (s) this.first.set(name, { ticks: s.ticks, at: Date.now() });
    }
    this.timer = setInterval(() => this.sampleRss(), 1_000);
    return this;
  }

  private sampleRss(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      const s = pid ? stat(pid) : undefined;
      if (s) this.rssMax.set(name, Math.max(this.rssMax.get(name) ?? 0, s.rss));
    }
  }

  /** CPU in % of one core since start, peak RSS in MiB. */
  stop(): Record<string, { cpuPercent: number; rssMiB: number }> {
    clearInterval(this.timer);
    this.sampleRss();
    const out: Record<string, { cpuPercent: number; rssMiB: number }> = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const s = pid ? stat(pid) : undefined;
      const first = this.first.get(name);
      if (!s || !first) continue;
      const seconds = (Date.now() - first.at) / 1000;
      out[name] = { cpuPercent: Math.round(((s.ticks - first.ticks) / TICKS / seconds) * 1000) / 10, rssMiB: Math.round((this.rssMax.get(name) ?? s.rss) / 1048576) };
    }
    return out;
  }
}

function stat(pid: number): { ticks: number; rss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime 14, stime 15, rss 24 (pages); here offset by 3.
    return { ticks: Number(fields[11]) + Number(fields[12]), rss: Number(fields[21]) * PAGE };
  } catch {
    return undefined;
  }
}

export interface LagSample {
  at: number;
  /** Messages not yet consumed, per consumer group (summed over its topic's partitions). */
  lag: Record<string, number>;
}

/** Consumer lag over time: the groups' committed offsets against the topics' end offsets. */
export class LagSampler {
  readonly samples: LagSample[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly admin: Admin,
    private readonly groups: { group: string; topic: string }[],
  ) {}

  start(everyMs = 1_000): this {
    this.timer = setInterval(() => void this.sample(), everyMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Samples that failed (an admin request refused or timed out): gaps in the series. */
  failures = 0;

  async sample(): Promise<LagSample | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      // Committed offsets first, end offsets after: read the other way round, a group that commits
      // in between showed a negative lag. Every request side by side: one after another they took
      // seconds under load and left gaps of 15 s in the series.
      const committed = await Promise.all(this.groups.map(({ group, topic }) => this.admin.fetchOffsets({ groupId: group, topics: [topic] }).then(([c]) => c)));
      const topics = [...new Set(this.groups.map((g) => g.topic))];
      const ends = new Map(await Promise.all(topics.map(async (topic) => [topic, new Map((await this.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]))] as const)));
      const lag: Record<string, number> = {};
      for (const [n, { group, topic }] of this.groups.entries()) {
        let total = 0n;
        for (const [partition, end] of ends.get(topic) ?? new Map<number, bigint>()) {
          const at = BigInt(committed[n]?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
          if (end > at) total += end - (at >= 0n ? at : 0n);
        }
        lag[group] = Number(total);
      }
      const sample = { at: Date.now(), lag };
      this.samples.push(sample);
      return sample;
    } catch {
      this.failures += 1;
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}

/** Each group's largest lag between `from` and `to`. */
export function maxLagByGroup(samples: LagSample[], from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.at >= from && s.at <= to) for (const [group, lag] of Object.entries(s.lag)) out[group] = Math.max(out[group] ?? 0, lag);
  return out;
}

/** Lag that does not grow: the second half of a step ends no higher than it started, give or take a second's worth. */
export function lagGrowing(samples: LagSample[], from: number, to: number, slack: number): boolean {
  const within = samples.filter((s) => s.at >= from && s.at <= to);
  if (within.length < 4) return false;
  const total = (s: LagSample) => Object.values(s.lag).reduce((a, b) => a + b, 0);
  const mid = within[Math.floor(within.length / 2)];
  const last = within[within.length - 1];
  return total(last) > total(mid) + slack;
}
