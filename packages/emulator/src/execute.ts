import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { type ExecuteResponse, operations } from "firecrawl-interact/spec";

/** Seconds a run may take when the request gives no `timeout`: the spec's default. */
export const DEFAULT_EXECUTE_TIMEOUT_S: number = operations.executeBrowserCode.body.properties.timeout.default;
/** Each stream (stdout, stderr) is cut at this many bytes so a chatty script cannot exhaust the emulator's memory. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** What a finished run reports: the spec's execute answer with every field present. */
type ExecuteOutcome = Required<ExecuteResponse>;

/** A run of user code: where to connect, what to run, how long it may take. */
export interface ExecuteJob {
  /** Browser-level DevTools endpoint the child connects to with playwright-core. */
  wsEndpoint: string;
  /** Target id of the tab to expose as `page` (the live view's active tab). */
  activeTargetId: string | undefined;
  code: string;
  timeoutSeconds: number;
}

// The child: loads playwright-core right away (the slow part, so a spare child can do it ahead of time), then
// reads its job from stdin, connects over CDP, picks the active tab and runs the code as an async function body.
const RUNNER = `
import { writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
const report = (value) => { try { writeSync(3, JSON.stringify(value)); } catch {} };
// stdout and stderr are sockets, written asynchronously: exit only once what was written has left, or it is lost.
const flushed = (stream) => new Promise((resolve) => stream.write("", () => resolve()));
const exit = async (code) => {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
};
const loading = import(pathToFileURL(process.env.FCI_PLAYWRIGHT).href);
loading.catch(() => {});
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
try {
  const job = JSON.parse(input);
  const playwright = await loading;
  const chromium = playwright.chromium ?? playwright.default.chromium;
  const browser = await chromium.connectOverCDP(job.wsEndpoint);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const pages = context.pages();
  let page = pages[0];
  if (pages.length > 1 && job.activeTargetId) {
    for (const candidate of pages) {
      const cdp = await context.newCDPSession(candidate);
      const { targetInfo } = await cdp.send("Target.getTargetInfo");
      await cdp.detach();
      if (targetInfo.targetId === job.activeTargetId) page = candidate;
    }
  }
  page ??= await context.newPage();
  const AsyncFunction = (async () => {}).constructor;
  const value = await new AsyncFunction("page", "context", "browser", job.code)(page, context, browser);
  if (value !== undefined) console.log(typeof value === "string" ? value : JSON.stringify(value));
  await exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof Error && error.stack ? error.stack : message);
  report({ error: message });
  await exit(1);
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
  private cut = false;
  /** True once a chunk (or part of one) was dropped at the limit. */
  get truncated(): boolean {
    return this.cut;
  }
  push(chunk: Buffer): void {
    if (this.size >= MAX_OUTPUT_BYTES) {
      this.cut = true;
      return;
    }
    const room = MAX_OUTPUT_BYTES - this.size;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(chunk.length, room);
    if (chunk.length > room) this.cut = true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8") + (this.cut ? "\n[output truncated]" : "");
  }
}

/** A started run: its pid, its outcome, and a way to kill it early (when the session ends). */
export interface ExecuteRun {
  pid: number | undefined;
  outcome: Promise<ExecuteOutcome>;
  kill(): void;
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

const killGroup = (child: ChildProcess) => {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
};

/** Spawns a runner child (in its own process group) that starts loading playwright-core at once. */
export function spawnRunner(): ChildProcess {
  return spawn(process.execPath, ["--input-type=module", "-e", RUNNER], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", FCI_PLAYWRIGHT: resolvePlaywright() },
  });
}

/**
 * Keeps one runner child spawned ahead, so an execute skips Node's start and playwright-core's import. The spare is
 * only made after the first execute: an emulator nobody executes code on never pays for it.
 */
export class RunnerPool {
  private spare: ChildProcess | undefined;
  private closed = false;

  /** A runner ready to take a job: the spare when it is alive, else a fresh one; then a new spare is spawned. */
  take(): ChildProcess {
    const spare = this.spare;
    this.spare = undefined;
    const runner = spare && isRunning(spare) ? spare : spawnRunner();
    if (spare && spare !== runner) killGroup(spare);
    if (!this.closed) {
      this.spare = spawnRunner();
      this.spare.on("error", () => undefined);
    }
    return runner;
  }

  /** Kills the spare runner; later takes still work but keep no spare. */
  close(): void {
    this.closed = true;
    if (this.spare) killGroup(this.spare);
    this.spare = undefined;
  }
}

/** Runs Node code in a runner child (from `runner`, default a fresh one) with `page`, `context` and `browser` in scope. */
export function runNodeCode(job: ExecuteJob, child: ChildProcess = spawnRunner()): ExecuteRun {
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  const report = new OutputBuffer();
  let killed = false;
  let endedBySession = false;
  const timer = setTimeout(() => {
    killed = true;
    killGroup(child);
  }, job.timeoutSeconds * 1000);
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdio[3]?.on("data", (chunk: Buffer) => report.push(chunk));
  child.stdin?.on("error", () => undefined);
  child.stdin?.end(JSON.stringify({ wsEndpoint: job.wsEndpoint, activeTargetId: job.activeTargetId, code: job.code }));
  const outcome = new Promise<ExecuteOutcome>((resolve) => {
    const finish = (exitCode: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      let error: string | null = null;
      if (endedBySession) error = "The session ended while the code ran";
      else if (killed) error = `Execution timed out after ${job.timeoutSeconds}s and was killed`;
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
        // The spec's flag for output cut to the server's limit: either stream hit MAX_OUTPUT_BYTES.
        truncated: stdout.truncated || stderr.truncated,
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
      endedBySession = true;
      killGroup(child);
    },
  };
}
