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
  /** How often every instance looks for a newer routing workflow version in MongoDB. */
  ROUTER_WORKFLOW_POLL_MS: z.coerce.number().int().min(100).default(2000),
  /** A waiting ticket is told its new place at most this often (and only when it changed); 0: only when it starts waiting. */
  ROUTER_POSITION_UPDATE_SECONDS: z.coerce.number().min(0).default(30),
  /** Processed inbox items older than this are deleted. */
  ROUTER_INBOX_RETENTION_HOURS: z.coerce.number().positive().default(24),
  /** Routing log of tickets resolved longer ago than this is deleted (but each ticket's last entry); also old agent slot entries and lease terms. */
  ROUTING_LOG_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** The router's processed-event keys (its consumers' idempotency) older than this are deleted. */
  ROUTER_PROCESSED_EVENT_RETENTION_DAYS: z.coerce.number().positive().default(7),
  /** How often the lease holder runs retention; 0 never. */
  ROUTER_RETENTION_INTERVAL_MINUTES: z.coerce.number().min(0).default(60),
  /** Names this instance on the lease; host and pid when unset. */
  ROUTER_INSTANCE_ID: z.string().min(1).max(200).optional(),
});
export type RouterEnv = z.infer<typeof routerEnvSchema>;
