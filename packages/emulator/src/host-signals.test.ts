import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { resolveChromium } from "./browser/chromium.js";
import { processGroupMembers } from "./browser/processes.js";

const HOST = fileURLToPath(new URL("./test-helpers/embedded-host.ts", import.meta.url));
/** How soon after the signal nothing of the emulator may be left. */
const CLEAN_WITHIN_MS = 1_000;

let chromiumPath: string;
let tmp: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // The host's temp dir is its own, so "no fci-chromium-* left" is about this host only; the browser is resolved
  // here once so the host does not unpack one into it.
  chromiumPath = (await resolveChromium()).path;
  tmp = await mkdtemp(join(tmpdir(), "fci-host-signals-"));
});

afterEach(() => {
  // Only when a test failed before the host ended: never leave it running.
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  child = undefined;
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface Host {
  process: ChildProcess;
  /** Pids (process groups) and temp profiles of every Chromium the host's emulators launched. */
  launched: { pids: number[]; dirs: string[] };
  /** How the host ended: its exit code, or the signal that ended it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startHost(emulators: number, host: "none" | "exit" | "slow" | "resend" | "alone"): Promise<Host> {
  const started = spawn(process.execPath, ["--import", "tsx", HOST, String(emulators), host], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CHROMIUM_PATH: chromiumPath, TMPDIR: tmp },
  });
  child = started;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    started.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stdout = "";
  let stderr = "";
  started.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const launched = await new Promise<Host["launched"]>((resolve, reject) => {
    started.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((text) => text.startsWith("{"));
      if (line && stdout.includes("\n")) resolve(JSON.parse(line));
    });
    void ended.then(({ code }) => reject(new Error(`the host exited with ${code} before it was ready: ${stderr}`)));
  });
  return { process: started, launched, ended };
}

/** Polls until none of the host's Chromiums and temp profiles is left; resolves with how long that took. */
async function cleanAfter(host: Host, signalledAt: number): Promise<number> {
  const left = () => ({
    processes: host.launched.pids.flatMap((pid) => processGroupMembers(pid)),
    dirs: [
      ...host.launched.dirs.filter((dir) => existsSync(dir)),
      ...readdirSync(tmp).filter((name) => name.startsWith("fci-chromium-")),
    ],
  });
  while (Date.now() - signalledAt < CLEAN_WITHIN_MS) {
    const now = left();
    if (now.processes.length === 0 && now.dirs.length === 0) return Date.now() - signalledAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(left()).toEqual({ processes: [], dirs: [] });
  return Date.now() - signalledAt;
}

describe("an emulator embedded in a host program", () => {
  test.each([
    ["SIGINT", 2, "none"],
    ["SIGTERM", 1, "none"],
    ["SIGINT", 1, "resend"],
    ["SIGTERM", 1, "alone"],
  ] as const)(
    "%s (%i emulators, host listener: %s): every Chromium and temp profile is gone within 1 s, then the signal ends the host",
    async (signal, emulators, listener) => {
      const host = await startHost(emulators, listener);
      expect(host.launched.pids).toHaveLength(emulators);
      expect(host.launched.dirs.every((dir) => dir.startsWith(join(tmp, "fci-chromium-")))).toBe(true);
      const signalledAt = Date.now();
      host.process.kill(signal);
      const cleanMs = await cleanAfter(host, signalledAt);
      // Raised again once the emulators are closed: the host ends by the signal itself, as it would have without them.
      expect(await host.ended).toEqual({ code: null, signal });
      console.info(
        `[host-signals] ${signal} (${listener}): clean after ${cleanMs} ms, host ended after ${Date.now() - signalledAt} ms`,
      );
    },
  );

  test("a host that exits in its own SIGINT listener keeps its exit code, and the temp profiles still go", async () => {
    const host = await startHost(1, "exit");
    const signalledAt = Date.now();
    host.process.kill("SIGINT");
    expect(await host.ended).toEqual({ code: 7, signal: null });
    await cleanAfter(host, signalledAt);
  });

  test("a host that handles SIGTERM itself decides: the emulator closes, the signal goes on to the host's listener, and the host exits when it chooses", async () => {
    const host = await startHost(1, "slow");
    const signalledAt = Date.now();
    host.process.kill("SIGTERM");
    await cleanAfter(host, signalledAt);
    // Still running: it exits when its own listener says so, 1.5 s after a signal.
    expect(host.process.exitCode).toBe(null);
    expect(await host.ended).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_500);
  });
});
