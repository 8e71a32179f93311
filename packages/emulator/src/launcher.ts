import { type LaunchedBrowser, launchBrowser } from "./browser.js";

/**
 * Launches every Chromium of one emulator and remembers each (for leak checks), and kills the ones still running if
 * the host process exits without `close()`: no Chromium may outlive the emulator that started it.
 */
export class BrowserLauncher {
  private readonly spawned = new Map<number, LaunchedBrowser>();
  private readonly killOnExit = () => {
    for (const browser of this.spawned.values()) {
      // Only groups whose leader Node has not reaped yet: their pid cannot have been reused by someone else.
      if (browser.killed || browser.process.exitCode !== null || browser.process.signalCode !== null) continue;
      try {
        process.kill(-browser.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };

  constructor(private readonly executablePath: string) {
    process.once("exit", this.killOnExit);
  }

  /** Launches a browser on a fresh temp user-data-dir, or on `userDataDir` (a checked-out profile). */
  async launch(userDataDir?: string): Promise<LaunchedBrowser> {
    const browser = await launchBrowser({
      executablePath: this.executablePath,
      ...(userDataDir ? { userDataDir } : {}),
    });
    this.spawned.set(browser.pid, browser);
    return browser;
  }

  /** Pid of every browser launched so far. */
  pids(): number[] {
    return [...this.spawned.keys()];
  }

  /** User-data-dir of every browser launched so far. */
  userDataDirs(): string[] {
    return [...this.spawned.values()].map((browser) => browser.userDataDir);
  }

  /** Stops watching for the host's exit (after the emulator closed and killed its browsers itself). */
  dispose(): void {
    process.off("exit", this.killOnExit);
  }
}
