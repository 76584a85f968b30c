/**
 * Runs `poll` every `everyMs`, never two runs at once (a slow run skips the ticks it overlaps); a
 * run that fails is reported and the next tick tries again. `stop` waits for the run under way, so
 * a service stopping does not cut a poll between its publish and its write.
 */
export class PollLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly poll: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.poll()
        .then(() => undefined)
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
