import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_FLAGS } from "./chromium.js";
import { processGroupMembers } from "./processes.js";

/** Viewport of every emulated browser, in CSS pixels. */
export const WINDOW_SIZE = { width: 1280, height: 720 } as const;

const LAUNCH_TIMEOUT_MS = 30_000;
const ENDPOINT_PATTERN = /DevTools listening on (ws:\/\/\S+)/;

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** The Chromium binary. */
  executablePath: string;
  /** Use this user-data-dir (e.g. a checked-out profile) instead of a fresh temp dir; it is removed on kill either way. */
  userDataDir?: string;
}

/** A Chromium we launched: its own process group, its DevTools endpoint and its temp profile. */
export class LaunchedBrowser {
  /** Set once the browser is killed (or died) and its temp dir removed. */
  killed = false;
  private exitPromise: Promise<void>;

  constructor(
    /** The browser process (leader of its own process group). */
    readonly process: ChildProcess,
    /** Browser-level DevTools WebSocket URL. */
    readonly wsEndpoint: string,
    /** The user-data-dir it runs with, removed by {@link LaunchedBrowser.kill}. */
    readonly userDataDir: string,
  ) {
    this.exitPromise =
      process.exitCode !== null || process.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => process.once("exit", () => resolve()));
  }

  /** Pid of the browser process, which is also its process group id. */
  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Resolves when the browser process has exited. */
  get exited(): Promise<void> {
    return this.exitPromise;
  }

  /** Waits up to `ms` for the browser to exit by itself; true when it did. */
  async waitForExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const result = await Promise.race([this.exitPromise.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /**
   * Kills the whole process group, waits until no member is left, runs `beforeRemove` (to save a profile) and
   * removes the user-data-dir. Idempotent.
   */
  async kill(beforeRemove?: (userDataDir: string) => Promise<void>): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    const pgid = this.pid;
    if (pgid > 0) {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // ESRCH: the group is already gone.
        }
        if (attempt === 0) await this.waitForExit(2_000);
        if (processGroupMembers(pgid).length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    try {
      if (beforeRemove) await beforeRemove(this.userDataDir);
    } finally {
      await removeDir(this.userDataDir);
    }
  }
}

/** Removes a directory tree, retrying while exiting Chromium children still write into it. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

// Reads a launching Chromium's stderr until it prints its DevTools endpoint; rejects when it exits, fails to spawn
// or takes longer than LAUNCH_TIMEOUT_MS.
function devToolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => finish(new Error("Chromium did not print its DevTools endpoint in time")),
      LAUNCH_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString("utf8")).slice(-8192);
      const match = ENDPOINT_PATTERN.exec(seen);
      if (match?.[1]) finish(null, match[1]);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`Chromium exited during launch (code ${code}, signal ${signal}): ${seen.slice(-500)}`));
    const onError = (error: Error) => finish(error);
    function finish(error: Error | null, endpoint?: string) {
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      // Keep draining stderr so a chatty Chromium never blocks on a full pipe.
      child.stderr?.resume();
      if (error) reject(error);
      else resolve(endpoint as string);
    }
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

/** Spawns Chromium in its own process group with a DevTools port and resolves once its endpoint is known. */
export async function launchBrowser(options: LaunchOptions): Promise<LaunchedBrowser> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), "fci-chromium-")));
  const args = [
    ...CHROMIUM_FLAGS,
    "--remote-debugging-port=0",
    `--user-data-dir=${userDataDir}`,
    `--window-size=${WINDOW_SIZE.width},${WINDOW_SIZE.height}`,
    "--hide-scrollbars",
    "--mute-audio",
    "about:blank",
  ];
  // Chromium's own temp files go inside the profile too, so removing it leaves nothing in the shared temp dir.
  const ownTmp = join(userDataDir, ".tmp");
  await mkdir(ownTmp, { recursive: true });
  const child = spawn(options.executablePath, args, {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TMPDIR: ownTmp },
  });
  const killGroup = async () => {
    await new LaunchedBrowser(child, "", userDataDir).kill();
  };
  try {
    const wsEndpoint = await devToolsEndpoint(child);
    // Late spawn-level errors are covered by kill(); without a listener they would crash the emulator.
    child.on("error", () => undefined);
    return new LaunchedBrowser(child, wsEndpoint, userDataDir);
  } catch (error) {
    await killGroup();
    throw error;
  }
}

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
