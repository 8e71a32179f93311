import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { CdpConnection } from "./cdp.js";
import { CdpGateway, type GatewayEntry } from "./cdp-gateway.js";
import { CHROMIUM_FLAGS, chromiumEnv } from "./chromium.js";
import { PipeTransport } from "./pipe-transport.js";
import { processGroupMembers } from "./processes.js";

/** Viewport of every emulated browser, in CSS pixels. */
export const WINDOW_SIZE = { width: 1280, height: 720 } as const;

const LAUNCH_TIMEOUT_MS = 30_000;

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** The Chromium binary. */
  executablePath: string;
  /** Where the browser's CDP endpoint for the emulator's own clients is served. */
  gateway: CdpGateway;
  /** Use this user-data-dir (e.g. a checked-out profile) instead of a fresh temp dir; it is removed on kill either way. */
  userDataDir?: string;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

// SIGKILLs a browser's whole process group and waits (at most ~3 s) until no member is left.
async function killProcessGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid ?? -1;
  if (pgid <= 0) return;
  const exited = hasExited(child)
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
    if (attempt === 0) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    if (processGroupMembers(pgid).length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A Chromium we launched: its own process group, the emulator's one CDP connection to it (over its DevTools pipe:
 * the browser listens on no port), the token-guarded endpoint where the emulator's other clients reach it, and its
 * temp profile.
 */
export class LaunchedBrowser {
  /** Set once the browser is killed (or died) and its temp dir removed. */
  killed = false;
  private exitPromise: Promise<void>;

  constructor(
    /** The browser process (leader of its own process group). */
    readonly process: ChildProcess,
    /** The emulator's connection to the browser (the session's control connection). */
    readonly connection: CdpConnection,
    private readonly endpoint: GatewayEntry,
    /** The user-data-dir it runs with, removed by {@link LaunchedBrowser.kill}. */
    readonly userDataDir: string,
  ) {
    this.exitPromise = hasExited(process)
      ? Promise.resolve()
      : new Promise((resolve) => process.once("exit", () => resolve()));
  }

  /** Pid of the browser process, which is also its process group id. */
  get pid(): number {
    return this.process.pid ?? -1;
  }

  /**
   * Browser-level CDP WebSocket URL for the emulator's own clients (its Playwright, the runners): a path on the
   * emulator's loopback gateway holding a random token; each client gets its own channel on {@link connection}.
   */
  get wsEndpoint(): string {
    return this.endpoint.url;
  }

  /** True while the process runs and the connection to it is open. */
  get isAlive(): boolean {
    return !this.killed && !hasExited(this.process) && !this.connection.isClosed;
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
   * Closes its endpoint and connection, kills the whole process group, waits until no member is left, runs
   * `beforeRemove` (to save a profile) and removes the user-data-dir. Idempotent.
   */
  async kill(beforeRemove?: (userDataDir: string) => Promise<void>): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    this.endpoint.close();
    this.connection.close();
    await killProcessGroup(this.process);
    try {
      if (beforeRemove) await beforeRemove(this.userDataDir);
    } finally {
      await removeDir(this.userDataDir);
    }
  }
}

/** A Chromium that a signal ended before it answered on its pipe: a crash, which the launcher tries once more. */
export class LaunchCrashError extends Error {
  override readonly name = "LaunchCrashError";
}

/** Removes a directory tree, retrying while exiting Chromium children still write into it. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

// Resolves once a launching Chromium answers on its DevTools pipe; rejects when it exits, fails to spawn, closes the
// pipe or takes longer than LAUNCH_TIMEOUT_MS. Its stderr is kept (the tail) for the error message.
function browserReady(child: ChildProcess, connection: CdpConnection): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = "";
    const timers = [
      setTimeout(() => finish(new Error("Chromium did not answer on its DevTools pipe in time")), LAUNCH_TIMEOUT_MS),
    ];
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString("utf8")).slice(-8192);
    };
    const onExit = (code: number | null, signal: string | null) => {
      const message = `Chromium exited during launch (code ${code}, signal ${signal}): ${seen.slice(-500)}`;
      finish(signal ? new LaunchCrashError(message) : new Error(message));
    };
    const onError = (error: Error) => finish(error);
    function finish(error: Error | null) {
      for (const timer of timers) clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      // Keep draining stderr so a chatty Chromium never blocks on a full pipe.
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
    connection.send("Browser.getVersion").then(
      () => finish(null),
      // The pipe closes just before the exit (whose code says more): give that a moment to arrive.
      () =>
        timers.push(
          setTimeout(() => finish(new Error(`Chromium closed its DevTools pipe: ${seen.slice(-500)}`)), 1_000),
        ),
    );
  });
}

/**
 * Spawns Chromium in its own process group, driven over `--remote-debugging-pipe` (fds 3 and 4) with a minimal
 * environment, and resolves once it answers there and its gateway endpoint is up.
 */
export async function launchBrowser(options: LaunchOptions): Promise<LaunchedBrowser> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), "fci-chromium-")));
  const args = [
    ...CHROMIUM_FLAGS,
    "--remote-debugging-pipe",
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
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    env: chromiumEnv(ownTmp),
  });
  const connection = new CdpConnection(new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable));
  try {
    await browserReady(child, connection);
    // Late spawn-level errors are covered by kill(); without a listener they would crash the emulator.
    child.on("error", () => undefined);
    return new LaunchedBrowser(child, connection, await options.gateway.expose(connection), userDataDir);
  } catch (error) {
    connection.close();
    await killProcessGroup(child);
    await removeDir(userDataDir);
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

  private readonly gateway = new CdpGateway();

  constructor(private readonly executablePath: string) {
    process.once("exit", this.killOnExit);
  }

  /** Launches a browser on a fresh temp user-data-dir, or on `userDataDir` (a checked-out profile). */
  async launch(userDataDir?: string): Promise<LaunchedBrowser> {
    const attempt = () =>
      launchBrowser({
        executablePath: this.executablePath,
        gateway: this.gateway,
        ...(userDataDir ? { userDataDir } : {}),
      });
    let browser: LaunchedBrowser;
    try {
      browser = await attempt();
    } catch (error) {
      // A fresh Chromium that crashed while starting (seen on a loaded machine) gets one more try; a checked-out
      // profile's does not, since a failed launch removes its copy.
      if (userDataDir || !(error instanceof LaunchCrashError)) throw error;
      browser = await attempt();
    }
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

  /** Stops watching for the host's exit and closes the CDP gateway (after the emulator killed its browsers itself). */
  dispose(): void {
    process.off("exit", this.killOnExit);
    void this.gateway.close();
  }
}
