import { retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  const policy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles up to the ceiling, with jitter in the upper half', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 3, () => 1)).toBe(400);
    expect(retryDelayMs(policy, 10, () => 1)).toBe(1_000);
    expect(retryDelayMs(policy, 10, () => 0)).toBe(500);
  });
});
