import { spawn } from "node:child_process";
import { createRequire } from "node:module";

/** Seconds a run may take when the request gives no `timeout`. */
export const DEFAULT_EXECUTE_TIMEOUT_S = 30;
// Each stream is cut here so a chatty script cannot exhaust the emulator's memory.
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** What a finished run reports, in the shape of the spec's `ExecuteResponse`. */
export interface ExecuteOutcome {
  success: boolean;
  stdout: string;
  result: string;
  stderr: string;
  exitCode: number | null;
  killed: boolean;
  error: string | null;
}

/** A run of user code: where to connect, what to run, how long it may take. */
export interface ExecuteJob {
  /** Browser-level DevTools endpoint the child connects to with playwright-core. */
  wsEndpoint: string;
  /** Target id of the tab to expose as `page` (the live view's active tab). */
  activeTargetId: string | undefined;
  code: string;
  timeoutSeconds: number;
}

// The child: connects playwright-core over CDP, picks the active tab and runs the code as an async function body.
const RUNNER = `
import { readFileSync, writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
const code = readFileSync(0, "utf8");
const report = (value) => { try { writeSync(3, JSON.stringify(value)); } catch {} };
try {
  const playwright = await import(pathToFileURL(process.env.FCI_PLAYWRIGHT).href);
  const chromium = playwright.chromium ?? playwright.default.chromium;
  const browser = await chromium.connectOverCDP(process.env.FCI_CDP_URL);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const pages = context.pages();
  let page = pages[0];
  if (pages.length > 1 && process.env.FCI_TARGET_ID) {
    for (const candidate of pages) {
      const cdp = await context.newCDPSession(candidate);
      const { targetInfo } = await cdp.send("Target.getTargetInfo");
      await cdp.detach();
      if (targetInfo.targetId === process.env.FCI_TARGET_ID) page = candidate;
    }
  }
  page ??= await context.newPage();
  const AsyncFunction = (async () => {}).constructor;
  const value = await new AsyncFunction("page", "context", "browser", code)(page, context, browser);
  if (value !== undefined) console.log(typeof value === "string" ? value : JSON.stringify(value));
  process.exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof Error && error.stack ? error.stack : message);
  report({ error: message });
  process.exit(1);
}
`;

let playwrightEntry: string | undefined;
const resolvePlaywright = () => {
  playwrightEntry ??= createRequire(import.meta.url).resolve("playwright-core");
  return playwrightEntry;
};

class OutputBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;
  push(chunk: Buffer): void {
    if (this.size >= MAX_OUTPUT_BYTES) {
      this.truncated = true;
      return;
    }
    const room = MAX_OUTPUT_BYTES - this.size;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(chunk.length, room);
    if (chunk.length > room) this.truncated = true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8") + (this.truncated ? "\n[output truncated]" : "");
  }
}

/** A started run: its pid, its outcome, and a way to kill it early (when the session ends). */
export interface ExecuteRun {
  pid: number | undefined;
  outcome: Promise<ExecuteOutcome>;
  kill(): void;
}

/** Runs Node code in a child process with playwright-core's `page`, `context` and `browser` in scope. */
export function runNodeCode(job: ExecuteJob): ExecuteRun {
  const child = spawn(process.execPath, ["--input-type=module", "-e", RUNNER], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      FCI_PLAYWRIGHT: resolvePlaywright(),
      FCI_CDP_URL: job.wsEndpoint,
      FCI_TARGET_ID: job.activeTargetId ?? "",
    },
  });
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  const report = new OutputBuffer();
  let killed = false;
  const killGroup = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    killed = true;
    killGroup();
  }, job.timeoutSeconds * 1000);
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdio[3]?.on("data", (chunk: Buffer) => report.push(chunk));
  child.stdin?.on("error", () => undefined);
  child.stdin?.end(job.code);
  const outcome = new Promise<ExecuteOutcome>((resolve) => {
    const finish = (exitCode: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      let error: string | null = null;
      if (killed) error = `Execution timed out after ${job.timeoutSeconds}s and was killed`;
      else if (spawnError) error = spawnError.message;
      else {
        try {
          error = (JSON.parse(report.text()) as { error?: string }).error ?? null;
        } catch {
          error = exitCode === 0 ? null : `Process exited with code ${exitCode}`;
        }
      }
      const out = stdout.text();
      resolve({
        success: !killed && exitCode === 0,
        stdout: out,
        result: out,
        stderr: stderr.text(),
        exitCode: killed ? null : exitCode,
        killed,
        error,
      });
    };
    child.once("error", (spawnError) => finish(null, spawnError));
    child.once("close", (code) => finish(code));
  });
  return {
    pid: child.pid,
    outcome,
    kill: () => {
      killed = true;
      killGroup();
    },
  };
}
