import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';
import { run } from './processes.mjs';

// npm writes node_modules/.package-lock.json on every install, so a lockfile
// newer than it means someone changed dependencies since the last install.
export function depsStale() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return 'node_modules is missing';
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
    return 'package-lock.json is newer than node_modules';
  }
  return null;
}

export async function ensureDeps(log = (m) => console.error(`[deps] ${m}`)) {
  const why = depsStale();
  if (!why) return 0;
  log(`${why}; running npm ci`);
  return run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot });
}
