import { canOpen, homeRoute, navigationFor, parseRoute } from './navigation.js';

describe('navigation', () => {
  it('gives agents their work and tickets only', () => {
    expect(navigationFor('agent', true).map((i) => i.route)).toEqual(['workspace', 'tickets']);
    expect(canOpen('agent', true, 'dashboard')).toBe(false);
    expect(canOpen('agent', true, 'workflow')).toBe(false);
    expect(canOpen('agent', true, 'account')).toBe(true);
    expect(homeRoute('agent')).toBe('workspace');
  });

  it('gives supervisors the dashboard, agents, the workflow (to read and simulate) and audit', () => {
    const routes = navigationFor('supervisor', false).map((i) => i.route);
    expect(routes).toEqual(['dashboard', 'tickets', 'agents', 'workflow', 'audit']);
    expect(canOpen('supervisor', false, 'workspace')).toBe(false);
    expect(homeRoute('supervisor')).toBe('dashboard');
  });

  it('gives admins everything, and a workspace to anyone who also takes tickets', () => {
    expect(navigationFor('admin', true).map((i) => i.route)).toEqual(['dashboard', 'workspace', 'tickets', 'agents', 'workflow', 'audit']);
    expect(canOpen('admin', false, 'workspace')).toBe(false);
  });

  it('parses hash routes', () => {
    const r = parseRoute('#/ticket/ab%2Fc?from=search');
    expect(r.route).toBe('ticket');
    expect(r.id).toBe('ab/c');
    expect(r.query.get('from')).toBe('search');
    expect(parseRoute('').route).toBe('');
  });
});
