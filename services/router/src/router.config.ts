import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

export const routerEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3011),
  /** A workflow YAML to use instead of the built-in default (libs/routing/config/default-workflow.yaml). */
  ROUTING_WORKFLOW_FILE: z.string().optional(),
  /** A reply naming a ticket resolved less than this long ago reopens it; later ones open a new ticket. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(168),
  /** A rating ("5", "4 puas") sent this long after resolution answers the ticket's survey instead of opening a ticket. */
  SURVEY_WINDOW_HOURS: z.coerce.number().positive().default(72),
  /** How long the assignment lease lasts unrenewed: after a crash, the other router takes over within this. */
  ROUTER_LEASE_TTL_MS: z.coerce.number().int().min(500).default(10_000),
  /** How often the lease holder looks for new tickets and commands (and runs due timers). */
  ROUTER_POLL_MS: z.coerce.number().int().min(10).default(250),
  /** Names this instance on the lease; host and pid when unset. */
  ROUTER_INSTANCE_ID: z.string().min(1).max(200).optional(),
});
export type RouterEnv = z.infer<typeof routerEnvSchema>;
