// Copies the page and stylesheet next to the compiled modules (`npm run build` runs it after tsc).
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
cpSync(join(here, 'static'), join(here, '../../../dist/services/console/web'), { recursive: true });
