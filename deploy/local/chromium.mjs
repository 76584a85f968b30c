// The console's browser tests drive Debian's Chromium through playwright-core (never a browser
// download). `npm test` finds it, or installs it with apt-get on a Debian machine run as root.
import { existsSync } from 'node:fs';
import { run, which } from './processes.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? which('chromium') ?? which('chromium-browser');
}

/** Resolves to the Chromium executable, or throws with what to do instead. */
export async function ensureChromium(log = (m) => console.error(`[chromium] ${m}`)) {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
  const manual = 'install it (Debian/Ubuntu: apt-get install -y chromium), set CHROMIUM_PATH to a Chromium binary, or skip the browser tests with SKIP_BROWSER=1';
  if (!existsSync('/etc/debian_version') || !which('apt-get')) throw new Error(`Chromium is missing and this is not a Debian machine: ${manual}`);
  if (process.getuid?.() !== 0) throw new Error(`Chromium is missing and installing it needs root: sudo apt-get install -y chromium; or ${manual}`);
  log('Chromium is missing; installing Debian\'s package with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
  // A fresh machine has no package lists yet.
  if ((await install()) !== 0 && ((await run('apt-get', ['update'], { env })) !== 0 || (await install()) !== 0)) {
    throw new Error(`apt-get could not install chromium: ${manual}`);
  }
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but no binary was found: ${manual}`);
  return installed;
}
