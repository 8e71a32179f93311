/**
 * The reference for session start: a cold Chromium launched directly, no emulator in between.
 * Same binary and flags as the emulator, fresh profile, CDP over WebSocket, first `Page.screencastFrame`.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attachFirstPage, CdpConnection, nextEvent } from "./cdp.js";
import { killProcessGroup, trackProcessGroup } from "./cleanup.js";

const ENDPOINT = /DevTools listening on (ws:\/\/\S+)/;
const TIMEOUT_MS = 30_000;

/** The flags the emulator launches every Chromium with (its chromium.ts), copied so the reference starts the same way. */
export const REFERENCE_CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

/** The extra arguments the emulator launches its browsers with (its browser.ts), for a like-for-like start. */
export const EMULATOR_LAUNCH_ARGS: readonly string[] = ["--window-size=1280,720", "--hide-scrollbars", "--mute-audio"];

/** The emulator's live-view screencast parameters (its live-view.ts), copied for a like-for-like stream. */
export const REFERENCE_SCREENCAST = { format: "jpeg", quality: 78, everyNthFrame: 1 } as const;

/** Milliseconds since spawn at which each phase of a cold start finished. */
export interface ColdStartPhases {
  /** Chromium printed its DevTools endpoint. */
  readonly launched: number;
  /** The browser WebSocket is open. */
  readonly connected: number;
  /** Attached to the initial page target. */
  readonly attached: number;
  /** The first screencast frame arrived: the total. */
  readonly firstFrame: number;
}

/** A Chromium started by the bench; `close` kills its whole process group and removes its profile. */
export interface RawBrowser {
  readonly pid: number;
  readonly wsEndpoint: string;
  close(): Promise<void>;
}

/** Spawns Chromium in its own process group with a fresh profile and waits for its DevTools endpoint. */
export async function launchRawChromium(
  executablePath: string,
  extraArgs: readonly string[] = EMULATOR_LAUNCH_ARGS,
): Promise<RawBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "fci-bench-"));
  // Chromium's temp files go inside the profile, as the emulator sets it up, so close() leaves nothing behind.
  const ownTmp = join(profile, ".tmp");
  await mkdir(ownTmp, { recursive: true });
  const child = spawn(
    executablePath,
    [
      ...REFERENCE_CHROMIUM_FLAGS,
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      ...extraArgs,
      "about:blank",
    ],
    { detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TMPDIR: ownTmp } },
  );
  const pid = child.pid ?? -1;
  if (pid > 0) trackProcessGroup(pid);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (pid > 0) killProcessGroup(pid);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  };
  try {
    const wsEndpoint = await new Promise<string>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error("Chromium printed no DevTools endpoint")), TIMEOUT_MS);
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`Chromium exited during launch (code ${code}): ${seen.slice(-300)}`)),
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-4096);
        const match = ENDPOINT.exec(seen);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    return { pid, wsEndpoint, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One raw cold start: spawn, CDP connect, attach to the page, start the screencast, first frame; then kill it all. */
export async function rawColdStart(
  executablePath: string,
  extraArgs: readonly string[] = EMULATOR_LAUNCH_ARGS,
): Promise<ColdStartPhases> {
  const t0 = performance.now();
  const browser = await launchRawChromium(executablePath, extraArgs);
  const launched = performance.now() - t0;
  let cdp: CdpConnection | undefined;
  try {
    cdp = await CdpConnection.connect(browser.wsEndpoint);
    const connected = performance.now() - t0;
    const sessionId = await attachFirstPage(cdp);
    const attached = performance.now() - t0;
    const frame = nextEvent(cdp, "Page.screencastFrame", TIMEOUT_MS, sessionId);
    // Same two commands, same parameters as the emulator's live view.
    await cdp.send("Page.enable", {}, sessionId);
    await cdp.send("Page.startScreencast", { ...REFERENCE_SCREENCAST }, sessionId);
    await frame;
    return { launched, connected, attached, firstFrame: performance.now() - t0 };
  } finally {
    cdp?.close();
    await browser.close();
  }
}
