import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const notifierEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3012),
});
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;
