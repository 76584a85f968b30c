import { resolve } from 'node:path';
import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

export const consoleEnvSchema = infraEnvSchema.extend({
  PORT: portSetting(3020),
  /** Signs the access tokens (HS256); every console instance needs the same one. */
  CONSOLE_JWT_SECRET: z.string({ required_error: 'required: the secret access tokens are signed with (32+ characters)' }).min(32, 'use at least 32 characters'),
  CONSOLE_ACCESS_TOKEN_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  CONSOLE_REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** The built web app, served at `/`; by default the web build next to this service's build. */
  CONSOLE_WEB_DIR: z.string().default(resolve(__dirname, '../web')),
  /** Seeds an agent, a supervisor and an admin (and the agent's routing profile). Never in production. */
  CONSOLE_DEMO_USERS: flag('false'),
  CONSOLE_DEMO_PASSWORD: z.string().min(8).default('switchboard-demo'),
  /** Failed sign-ins per client address within CONSOLE_LOGIN_WINDOW_SECONDS before 429. */
  CONSOLE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  CONSOLE_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Largest JSON body (bytes); 413 above. Workflows are the biggest thing sent. */
  CONSOLE_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(5_000_000).default(262_144),
  /** The notifier's template API, proxied at /api/templates for admins. */
  NOTIFIER_URL: z.string().url().default('http://127.0.0.1:3012'),
  NOTIFIER_ADMIN_TOKEN: z.string().optional(),
  /** Proxy headers (X-Forwarded-For) are believed only behind a proxy you run. */
  CONSOLE_TRUST_PROXY: flag('false'),
});
export type ConsoleEnv = z.infer<typeof consoleEnvSchema>;
export const CONSOLE_ENV = Symbol('CONSOLE_ENV');
