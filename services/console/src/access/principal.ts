import { ConsoleRole } from '@switchboard/persistence';

/** Who is asking, as the access token says. */
export interface Principal {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  agentId?: string;
  queues: string[];
}

const RANK: Record<ConsoleRole, number> = { agent: 0, supervisor: 1, admin: 2 };

/** Admins may do what supervisors may, supervisors what agents may see. */
export function hasRole(principal: Pick<Principal, 'role'>, least: ConsoleRole): boolean {
  return RANK[principal.role] >= RANK[least];
}
