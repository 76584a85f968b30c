import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const localDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(localDir, '..', '..');

// Downloads and built binaries are shared by every profile and every checkout,
// so they live outside the repo; SWITCHBOARD_CACHE lets CI or a cold-start
// measurement point somewhere else.
export function cacheDir() {
  if (process.env.SWITCHBOARD_CACHE) return resolve(process.env.SWITCHBOARD_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'switchboard');
}

export function profileDir(profile) {
  if (!/^[A-Za-z0-9._-]+$/.test(profile)) {
    throw new Error(`invalid profile name ${JSON.stringify(profile)} (letters, digits, . _ - only)`);
  }
  return join(repoRoot, '.data', profile);
}

export function profilePaths(profile) {
  const root = profileDir(profile);
  return {
    root,
    kafka: join(root, 'kafka'),
    mongo: join(root, 'mongo'),
    logs: join(root, 'logs'),
    state: join(root, 'infra.json'),
  };
}
