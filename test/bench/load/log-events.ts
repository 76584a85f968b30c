import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What makes a pipeline under load fall instead of level off, as the services log it. */
const PATTERNS = {
  retries: /handler failed, retrying|batch failed, handling|some events of a batch failed/,
  deadLetters: /sending event to the dead-letter topic/,
  rejoins: /re-joining the group|rebalanc/i,
  dbLocked: /database is locked|SQLITE_BUSY/,
  leaseLost: /lease lost/,
  errors: /"level":50/,
};

export type LogEvents = Record<keyof typeof PATTERNS, number>;

/** Counts per service (`<service>.log` in the platform's log directory) since it started. */
export function countLogEvents(dir: string): Record<string, LogEvents> {
  const out: Record<string, LogEvents> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    const counts = Object.fromEntries(Object.keys(PATTERNS).map((k) => [k, 0])) as LogEvents;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      for (const [name, pattern] of Object.entries(PATTERNS)) if (pattern.test(line)) counts[name as keyof LogEvents] += 1;
    }
    out[file.replace(/\.log$/, '')] = counts;
  }
  return out;
}
