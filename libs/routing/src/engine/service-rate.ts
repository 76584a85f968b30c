/** Recent assignments out of one queue, for "expected wait" from the rate at which it is served. */
export class ServiceRate {
  private readonly times: number[];
  private next = 0;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    capacity = 256,
  ) {
    this.times = new Array<number>(capacity).fill(0);
  }

  record(at: number): void {
    this.times[this.next] = at;
    this.next = (this.next + 1) % this.times.length;
    this.count = Math.min(this.count + 1, this.times.length);
  }

  /** Assignments per second over the window (or over the last `capacity` assignments when more recent), undefined without any. */
  perSecond(now: number, startedAt: number): { rate: number; assignments: number; overSeconds: number } | undefined {
    const from = now - this.windowMs;
    let n = 0;
    let oldest = now;
    for (let k = 1; k <= this.count; k++) {
      const t = this.times[(this.next - k + this.times.length) % this.times.length];
      if (t < from) break;
      n++;
      oldest = t;
    }
    if (n === 0) return undefined;
    const full = n === this.times.length;
    const spanMs = Math.max(full ? now - oldest : Math.min(this.windowMs, now - startedAt), 60_000);
    return { rate: n / (spanMs / 1000), assignments: n, overSeconds: Math.round(spanMs / 1000) };
  }
}
