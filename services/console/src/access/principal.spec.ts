import { hasRole } from './principal';

describe('hasRole', () => {
  it('ranks admin over supervisor over agent', () => {
    expect(hasRole({ role: 'admin' }, 'supervisor')).toBe(true);
    expect(hasRole({ role: 'supervisor' }, 'supervisor')).toBe(true);
    expect(hasRole({ role: 'supervisor' }, 'admin')).toBe(false);
    expect(hasRole({ role: 'agent' }, 'supervisor')).toBe(false);
    expect(hasRole({ role: 'agent' }, 'agent')).toBe(true);
  });
});
