import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const inappEnvSchema = infraEnvSchema.extend({
  PORT: portSetting(3001),
  /** Shared with the e-wallet backend, which signs each customer's identity token with it. */
  INAPP_IDENTITY_SECRET: z.string({ required_error: 'required: the secret the app backend signs identity tokens with' }).min(16, 'use at least 16 characters'),
  /** Serves a demo chat page at / and mints tokens at POST /demo/token. Never in production. */
  INAPP_DEMO: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Who may embed the chat widget (CSP frame-ancestors), e.g. `https://app.example.com`. */
  INAPP_WIDGET_FRAME_ANCESTORS: z.string().max(1000).default("'self'"),
});
export type InappEnv = z.infer<typeof inappEnvSchema>;
export const INAPP_ENV = Symbol('INAPP_ENV');
