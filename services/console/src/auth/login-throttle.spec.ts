import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('refuses an address at the limit until its oldest failure leaves the window', () => {
    const throttle = new LoginThrottle(3, 60_000);
    throttle.fail('10.0.0.1', 0);
    throttle.fail('10.0.0.1', 10_000);
    expect(throttle.retryAfterMs('10.0.0.1', 10_000)).toBe(0);
    throttle.fail('10.0.0.1', 20_000);
    expect(throttle.retryAfterMs('10.0.0.1', 20_000)).toBe(40_000);
    expect(throttle.retryAfterMs('10.0.0.1', 60_001)).toBe(0);
  });

  it('counts addresses apart and forgets an address on success', () => {
    const throttle = new LoginThrottle(1, 60_000);
    throttle.fail('a', 0);
    expect(throttle.retryAfterMs('a', 1)).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('b', 1)).toBe(0);
    throttle.succeed('a');
    expect(throttle.retryAfterMs('a', 1)).toBe(0);
  });
});
