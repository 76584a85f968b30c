/**
 * Failed sign-ins per client address in a sliding window; at the limit, further attempts are
 * refused until the oldest failure leaves the window. Per instance, in memory: a determined
 * attacker spread over instances gets instances × limit guesses, which scrypt keeps slow anyway.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the address may try again; 0 when it may now. */
  retryAfterMs(address: string, now: number): number {
    const recent = this.recent(address, now);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures] + this.windowMs - now;
  }

  fail(address: string, now: number): void {
    const recent = this.recent(address, now);
    recent.push(now);
    this.failures.set(address, recent);
    if (this.failures.size > 100_000) this.prune(now);
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => at > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [address] of this.failures) if (this.recent(address, now).length === 0) this.failures.delete(address);
  }
}
