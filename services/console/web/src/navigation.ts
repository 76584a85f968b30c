import { Role } from './api-types.js';

export interface NavItem {
  route: string;
  label: string;
}

const WORKSPACE: NavItem = { route: 'workspace', label: 'My work' };
const DASHBOARD: NavItem = { route: 'dashboard', label: 'Dashboard' };
const TICKETS: NavItem = { route: 'tickets', label: 'Tickets' };
const AGENTS: NavItem = { route: 'agents', label: 'Agents' };
const WORKFLOW: NavItem = { route: 'workflow', label: 'Workflow' };
const AUDIT: NavItem = { route: 'audit', label: 'Audit log' };

/**
 * What each role is offered. The API enforces the same lines (403); hiding what a role cannot
 * use keeps people from clicking into refusals. Supervisors who also take tickets have an agentId;
 * they read and simulate the workflow, admins also save it.
 */
export function navigationFor(role: Role, hasAgentId: boolean): NavItem[] {
  const work = hasAgentId ? [WORKSPACE] : [];
  switch (role) {
    case 'agent':
      return [WORKSPACE, TICKETS];
    case 'supervisor':
      return [DASHBOARD, ...work, TICKETS, AGENTS, WORKFLOW, AUDIT];
    case 'admin':
      return [DASHBOARD, ...work, TICKETS, AGENTS, WORKFLOW, AUDIT];
  }
}

/** Where a role lands after signing in. */
export function homeRoute(role: Role): string {
  return role === 'agent' ? 'workspace' : 'dashboard';
}

/** `#/tickets/abc?x=1` → { route: 'tickets', id: 'abc', query }. */
export function parseRoute(hash: string): { route: string; id?: string; query: URLSearchParams } {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [route = '', id] = path.split('/').map((part) => decodeURIComponent(part));
  return { route, id: id || undefined, query: new URLSearchParams(search) };
}

/** May this role open this route at all (ignoring data-level rules the API applies)? */
export function canOpen(role: Role, hasAgentId: boolean, route: string): boolean {
  // A ticket's own rules are the API's; everyone has an account page.
  if (route === 'ticket' || route === 'account') return true;
  return navigationFor(role, hasAgentId).some((item) => item.route === route);
}
