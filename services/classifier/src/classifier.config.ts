import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const classifierEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3010),
  /** Below this confidence a message goes to triage; unset means the model's evaluated default. */
  TRIAGE_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
});
export type ClassifierEnv = z.infer<typeof classifierEnvSchema>;
