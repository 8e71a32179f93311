import type { ChildProcess } from "node:child_process";
import type { ExecuteResponse } from "firecrawl-interact/core";
import type { RunChild } from "./run-tree.js";

/** Each stream (stdout, stderr, and Node's result) is cut at this many bytes so a chatty script cannot exhaust memory. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** A run of user code: where to connect, what to run, how long it may take. */
export interface ExecuteJob {
  /** Browser-level DevTools endpoint the child connects to. */
  wsEndpoint: string;
  /** Target id of the tab to expose as `page` (the live view's active tab). */
  activeTargetId: string | undefined;
  code: string;
  timeoutSeconds: number;
}

// The report a runner child writes on fd 3 (JSON): its result (Node) and its error, when it failed.
interface RunnerReport {
  result?: string | null;
  resultTruncated?: boolean;
  error?: string;
}

// One stream, kept up to `limit` bytes, remembering whether anything was cut.
class OutputBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private cut = false;
  constructor(private readonly limit = MAX_OUTPUT_BYTES) {}
  /** True once a chunk (or part of one) was dropped at the limit. */
  get truncated(): boolean {
    return this.cut;
  }
  push(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.cut = true;
      return;
    }
    const room = this.limit - this.size;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(chunk.length, room);
    if (chunk.length > room) this.cut = true;
  }
  raw(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
  text(): string {
    return this.raw() + (this.cut ? "\n[output truncated]" : "");
  }
}

/** A started run: its pid, its outcome, and ways to kill it early (when the session or the host process ends). */
export interface ExecuteRun {
  pid: number | undefined;
  outcome: Promise<ExecuteResponse>;
  /** Kills the run's whole process tree (the session ended); resolves once none of it is left. */
  kill(): Promise<void>;
  /** Kills the run's whole process tree without yielding, for the host process's `exit`. */
  killNow(): void;
}

/** Whether a child has neither exited nor been stopped by a signal. */
export const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** SIGKILLs the process group a running child leads (runner children are spawned detached). */
export const killGroup = (child: ChildProcess) => {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
};

// How long the output may still drain once the run's processes were killed; a process that slipped out of the
// tree and holds the pipes open does not hold the answer longer.
const DRAIN_GRACE_MS = 250;

/** How a child's run is watched and turned into an answer. */
export interface SuperviseOptions {
  timeoutSeconds: number;
  /** Written to the child's stdin, which is then closed. */
  stdin?: string;
  /** Where `result` comes from: the runner's report (Node) or what the run printed (bash, Python). */
  result: "report" | "stdout";
}

// The child's two streams and the report it writes on fd 3, each capped.
interface RunOutput {
  stdout: OutputBuffer;
  stderr: OutputBuffer;
  report: OutputBuffer;
}

// How a run ended: its exit code or spawn error, and whether the timeout or the session's end killed it.
interface RunEnd {
  exitCode: number | null;
  spawnError: Error | undefined;
  killed: boolean;
  endedBySession: boolean;
}

function collectOutput(child: ChildProcess): RunOutput {
  // JSON of a result of up to MAX_OUTPUT_BYTES can be a few times longer once escaped.
  const output = {
    stdout: new OutputBuffer(),
    stderr: new OutputBuffer(),
    report: new OutputBuffer(8 * MAX_OUTPUT_BYTES),
  };
  child.stdout?.on("data", (chunk: Buffer) => output.stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.stderr.push(chunk));
  child.stdio[3]?.on("data", (chunk: Buffer) => output.report.push(chunk));
  return output;
}

function readReport(report: OutputBuffer): RunnerReport {
  try {
    return JSON.parse(report.raw()) as RunnerReport;
  } catch {
    // Killed, or never got as far as reporting.
    return {};
  }
}

// Why a failed run failed, when its stderr says nothing.
function failureReason(end: RunEnd, reported: RunnerReport, timeoutSeconds: number): string {
  if (end.endedBySession) return "The session ended while the code ran";
  if (end.killed) return `Execution timed out after ${timeoutSeconds}s and was killed`;
  if (end.spawnError) return end.spawnError.message;
  return reported.error ?? "Execution failed";
}

/** Firecrawl's answer for a finished child: `success: true`, the streams, and `error` only when the run failed. */
function answerOf(output: RunOutput, end: RunEnd, options: SuperviseOptions): ExecuteResponse {
  const reported = readReport(output.report);
  const stdout = output.stdout.text();
  const stderr = output.stderr.text();
  const failed = end.killed || end.spawnError !== undefined || end.exitCode !== 0;
  const reportedResult = !failed && typeof reported.result === "string" ? reported.result : null;
  const answer: ExecuteResponse = {
    success: true,
    stdout,
    result: options.result === "stdout" ? stdout : reportedResult,
    stderr,
    exitCode: end.killed ? null : end.exitCode,
    killed: end.killed,
    // The spec's flag for output cut to the server's limit: a stream (or Node's result) hit MAX_OUTPUT_BYTES.
    truncated: output.stdout.truncated || output.stderr.truncated || reported.resultTruncated === true,
  };
  if (failed) answer.error = stderr || failureReason(end, reported, options.timeoutSeconds);
  return answer;
}

// The main child's end: its exit code, or the error that kept it from starting.
function mainExit(child: ChildProcess): Promise<Pick<RunEnd, "exitCode" | "spawnError">> {
  return new Promise((resolve) => {
    child.once("error", (spawnError) => resolve({ exitCode: null, spawnError }));
    child.once("exit", (exitCode) => resolve({ exitCode, spawnError: undefined }));
  });
}

// Resolves once the child's streams closed, or after the drain grace (then they are cut).
async function drained(child: ChildProcess, closed: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_GRACE_MS)));
  await Promise.race([closed, grace]);
  clearTimeout(timer);
  for (const stream of child.stdio) stream?.destroy();
}

/**
 * Watches a run until its main child exits: collects its streams (each capped), and answers as Firecrawl does:
 * `success: true`, the streams, and `error` (stderr, else why it failed) only when the exit code is not 0 or the run
 * was killed. At the timeout, at the session's end, and as soon as the main child exits, the run's whole process
 * tree is killed (background and detached children too), so the answer never waits for what the run left behind.
 */
export function supervise(run: RunChild, options: SuperviseOptions): ExecuteRun {
  const { child, tree } = run;
  const stopped = { killed: false, endedBySession: false };
  const output = collectOutput(child);
  const closed = new Promise((resolve) => child.once("close", resolve));
  child.stdin?.on("error", () => undefined);
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  let ending: Promise<void> | undefined;
  const endTree = () => {
    ending ??= tree.kill().then(() => drained(child, closed));
    return ending;
  };
  const timer = setTimeout(() => {
    stopped.killed = true;
    void endTree();
  }, options.timeoutSeconds * 1000);
  const outcome = mainExit(child).then(async (exit) => {
    clearTimeout(timer);
    await endTree();
    return answerOf(output, { ...exit, ...stopped }, options);
  });
  const stop = () => {
    // A run whose main child already exited ended by itself: only its leftovers go.
    if (!isRunning(child)) return;
    stopped.killed = true;
    stopped.endedBySession = true;
  };
  return {
    pid: child.pid,
    outcome,
    kill: async () => {
      stop();
      await endTree();
      await outcome;
    },
    killNow: () => {
      stop();
      tree.killNow();
    },
  };
}
