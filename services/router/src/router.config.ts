import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const routerEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3011),
  /** A workflow YAML to use instead of the built-in default (libs/routing/config/default-workflow.yaml). */
  ROUTING_WORKFLOW_FILE: z.string().optional(),
  /** A reply naming a ticket resolved less than this long ago reopens it; later ones open a new ticket. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(168),
});
export type RouterEnv = z.infer<typeof routerEnvSchema>;
