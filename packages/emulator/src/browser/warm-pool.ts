import type { LaunchedBrowser } from "./launch.js";

/** Keeps `size` Chromiums launched ahead of demand so creating a session skips the cold start. */
export class WarmPool {
  private readonly ready: LaunchedBrowser[] = [];
  private readonly launching = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly launch: () => Promise<LaunchedBrowser>,
  ) {}

  /** How many browsers are ready to hand out right now. */
  get readyCount(): number {
    return this.ready.length;
  }

  /** Starts filling the pool in the background. */
  start(): void {
    this.fill();
  }

  /** Resolves once every launch in flight has settled (tests and benchmarks wait for a warm pool with it). */
  async settled(): Promise<void> {
    while (this.launching.size > 0) await Promise.allSettled([...this.launching]);
  }

  /** Hands out a warm browser when one is ready (then refills), else launches a cold one. */
  async acquire(): Promise<LaunchedBrowser> {
    let browser = this.ready.shift();
    while (browser && !browser.isAlive) {
      await browser.kill();
      browser = this.ready.shift();
    }
    // Refill after this create's own work has started, so the two do not race for the CPU from the same tick.
    setImmediate(() => this.fill());
    return browser ?? this.launch();
  }

  /** Kills every ready browser and every browser still launching. */
  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    await Promise.all(this.ready.splice(0).map((browser) => browser.kill()));
  }

  private fill(): void {
    while (!this.closed && this.ready.length + this.launching.size < this.size) {
      const launch: Promise<void> = this.launch()
        .then(async (browser) => {
          if (this.closed) await browser.kill();
          else this.ready.push(browser);
        })
        // A failed warm launch is not fatal: acquire() falls back to a cold launch and reports that error.
        .catch(() => undefined)
        .finally(() => this.launching.delete(launch));
      this.launching.add(launch);
    }
  }
}
