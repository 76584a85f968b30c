import { z } from 'zod';
import { parseCheckAfter, parseRetryDelays } from '@switchboard/channels';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const notifierEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3012),
  /** Reply language when a message's language could not be told. */
  NOTIFIER_DEFAULT_LANGUAGE: z.enum(['en', 'id', 'zh']).default('en'),
  /** Automatic messages to one address per rolling hour; beyond it they are stored as `rate_limited`, not sent. */
  NOTIFY_MAX_PER_CONTACT_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Bearer token of the template API (`/templates`); unset turns template editing off. */
  NOTIFIER_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** How often each notifier re-reads the operators' templates. */
  TEMPLATE_REFRESH_MS: z.coerce.number().int().min(100).default(5_000),
  /** Delays before each retry of a temporarily failed delivery on the same channel (`30s,2m,10m`; empty: no retries, straight to the fallback). */
  NOTIFY_RETRY_DELAYS: z
    .string()
    .default('30s,2m,10m')
    .superRefine((value, ctx) => {
      try {
        parseRetryDelays(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    }),
  /**
   * Each partition's receipt batches span at least this long (the consumer waits out the rest
   * before fetching the next), so a notification's `sent` and `delivered` are stored with one
   * update; a failed receipt waits at most this long for its retry or fallback. 0: no wait.
   */
  NOTIFY_RECEIPT_FOLD_MS: z.coerce.number().int().min(0).max(5_000).default(1_000),
  /** How often due retries are looked for. */
  NOTIFY_RETRY_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /**
   * When an SMS whose last receipt is still `queued`/`sent` is checked with Twilio by its SID,
   * each counted from that receipt (`10m,1h,6h`); after the last it is left as it is. Empty: never.
   */
  NOTIFY_SMS_CHECK_AFTER: z
    .string()
    .default('10m,1h,6h')
    .superRefine((value, ctx) => {
      try {
        parseCheckAfter(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    }),
  /** How often due SMS checks are looked for. */
  NOTIFY_SMS_CHECK_POLL_MS: z.coerce.number().int().min(50).default(30_000),
});
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;
export const NOTIFIER_ENV = Symbol('NOTIFIER_ENV');
