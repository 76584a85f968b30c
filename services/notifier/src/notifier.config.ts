import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const notifierEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3012),
  /** Reply language when a message's language could not be told. */
  NOTIFIER_DEFAULT_LANGUAGE: z.enum(['en', 'id', 'zh']).default('en'),
});
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;
