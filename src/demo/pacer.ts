/**
 * The shared request budget: at most `rps` requests start per second, all users together, evenly
 * spaced (no bursts). `stop()` ends the traffic: waiting users are released at once and told to stop;
 * requests already sent finish normally.
 */
export class RequestPacer {
  private nextAt = 0;
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly rps: number) {
    if (!(rps > 0)) throw new Error(`rps must be positive, got ${rps}`);
  }

  /** Waits for this caller's turn; false once the traffic is stopped (send nothing then). */
  async acquire(): Promise<boolean> {
    if (this.stopped) return false;
    const now = performance.now();
    const slot = Math.max(now, this.nextAt);
    this.nextAt = slot + 1000 / this.rps;
    if (slot > now) await this.sleep(slot - now);
    return !this.stopped;
  }

  /** Waits `ms` unless the traffic stops first; false when it stopped. */
  async pause(ms: number): Promise<boolean> {
    if (this.stopped) return false;
    await this.sleep(ms);
    return !this.stopped;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
