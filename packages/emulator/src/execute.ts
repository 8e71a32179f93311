import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { type ExecuteRequest, type ExecuteResponse, operations } from "firecrawl-interact/core";
import { AgentBrowserHome, resolveAgentBrowser } from "./agent-browser.js";
import { EmulatorHttpError } from "./errors.js";
import { captureLastExpression, NODE_RUNNER } from "./node-code.js";
import { DEFAULT_PYTHON, PYTHON_INSTALL_HINT, PYTHON_RUNNER, pythonEnv, pythonHasPlaywright } from "./python.js";

/** Seconds a run may take when the request gives no `timeout`: the spec's default. */
export const DEFAULT_EXECUTE_TIMEOUT_S: number = operations.executeBrowserCode.body.properties.timeout.default;
/** The language a request without `language` runs in: the spec's default (node). */
export const DEFAULT_EXECUTE_LANGUAGE: ExecuteLanguage = operations.executeBrowserCode.body.properties.language.default;
/** Each stream (stdout, stderr, and Node's result) is cut at this many bytes so a chatty script cannot exhaust memory. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** A language execute runs: `node` (Playwright), `python` (Playwright for Python), `bash` (agent-browser). */
export type ExecuteLanguage = NonNullable<ExecuteRequest["language"]>;

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

let playwrightEntry: string | undefined;
const resolvePlaywright = () => {
  playwrightEntry ??= createRequire(import.meta.url).resolve("playwright-core");
  return playwrightEntry;
};

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

/** A started run: its pid, its outcome, and a way to kill it early (when the session ends). */
export interface ExecuteRun {
  pid: number | undefined;
  outcome: Promise<ExecuteResponse>;
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

/** Spawns a Node runner child (in its own process group) that starts loading playwright-core at once. */
export function spawnRunner(): ChildProcess {
  return spawn(process.execPath, ["--input-type=module", "-e", NODE_RUNNER], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      FCI_PLAYWRIGHT: resolvePlaywright(),
      FCI_MAX_RESULT_BYTES: String(MAX_OUTPUT_BYTES),
    },
  });
}

/** How a child's run is watched and turned into an answer. */
interface SuperviseOptions {
  timeoutSeconds: number;
  /** Written to the child's stdin, which is then closed. */
  stdin?: string;
  /** Where `result` comes from: the runner's report (Node) or what the run printed (bash, Python). */
  result: "report" | "stdout";
}

/**
 * Watches a child (leader of its own process group) until it exits: collects its streams (each capped), kills its
 * group at the timeout or when the session ends, and answers as Firecrawl does: `success: true`, the streams, and
 * `error` (stderr, else why it failed) only when the exit code is not 0 or the run was killed.
 */
function supervise(child: ChildProcess, options: SuperviseOptions): ExecuteRun {
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  // JSON of a result of up to MAX_OUTPUT_BYTES can be a few times longer once escaped.
  const report = new OutputBuffer(8 * MAX_OUTPUT_BYTES);
  let killed = false;
  let endedBySession = false;
  const timer = setTimeout(() => {
    killed = true;
    killGroup(child);
  }, options.timeoutSeconds * 1000);
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdio[3]?.on("data", (chunk: Buffer) => report.push(chunk));
  child.stdin?.on("error", () => undefined);
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const outcome = new Promise<ExecuteResponse>((resolve) => {
    let done = false;
    const finish = (exitCode: number | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      let reported: RunnerReport = {};
      try {
        reported = JSON.parse(report.raw()) as RunnerReport;
      } catch {
        // Killed, or never got as far as reporting.
      }
      const out = stdout.text();
      const err = stderr.text();
      const failed = killed || spawnError !== undefined || exitCode !== 0;
      const result =
        options.result === "stdout"
          ? out
          : failed
            ? null
            : typeof reported.result === "string"
              ? reported.result
              : null;
      const answer: ExecuteResponse = {
        success: true,
        stdout: out,
        result,
        stderr: err,
        exitCode: killed ? null : exitCode,
        killed,
        // The spec's flag for output cut to the server's limit: a stream (or Node's result) hit MAX_OUTPUT_BYTES.
        truncated: stdout.truncated || stderr.truncated || reported.resultTruncated === true,
      };
      if (failed) {
        let why = reported.error ?? "Execution failed";
        if (endedBySession) why = "The session ended while the code ran";
        else if (killed) why = `Execution timed out after ${options.timeoutSeconds}s and was killed`;
        else if (spawnError) why = spawnError.message;
        answer.error = err || why;
      }
      resolve(answer);
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

/** Runs Node code in a runner child (default a fresh one) with `page`, `context` and `browser` in scope. */
export function runNodeCode(job: ExecuteJob, child: ChildProcess = spawnRunner()): ExecuteRun {
  const code = captureLastExpression(job.code);
  return supervise(child, {
    timeoutSeconds: job.timeoutSeconds,
    stdin: JSON.stringify({ wsEndpoint: job.wsEndpoint, activeTargetId: job.activeTargetId, code }),
    result: "report",
  });
}

/** Runs Python code with Playwright for Python (`python` must be able to import it). */
export function runPythonCode(job: ExecuteJob, python: string): ExecuteRun {
  const child = spawn(python, ["-c", PYTHON_RUNNER], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: pythonEnv(),
  });
  return supervise(child, {
    timeoutSeconds: job.timeoutSeconds,
    stdin: JSON.stringify({ wsEndpoint: job.wsEndpoint, activeTargetId: job.activeTargetId, code: job.code }),
    result: "stdout",
  });
}

/** Runs a bash script in which `agent-browser` is the session's wrapper (see {@link AgentBrowserHome}). */
export function runBashCode(job: ExecuteJob, home: AgentBrowserHome): ExecuteRun {
  const child = spawn("bash", ["-c", job.code], {
    detached: true,
    cwd: home.workDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: `${home.binDir}:${process.env.PATH ?? ""}`,
      HOME: process.env.HOME ?? "",
      ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
    },
  });
  return supervise(child, { timeoutSeconds: job.timeoutSeconds, result: "stdout" });
}

/** Options of {@link RunnerPool}. */
export interface RunnerPoolOptions {
  /** The Python executable for `language: "python"` (default `python3`). */
  python?: string;
}

/**
 * What runs execute code for one emulator: keeps one Node runner child spawned ahead (so an execute skips Node's
 * start and playwright-core's import; the spare is only made after the first execute), knows which Python to use
 * and whether it has Playwright, and keeps every session's agent-browser home so that no daemon outlives the
 * emulator, even when its host process exits without `close()`.
 */
export class RunnerPool {
  readonly python: string;
  private spare: ChildProcess | undefined;
  private closed = false;
  private readonly homes = new Set<AgentBrowserHome>();
  private readonly killOnExit = () => {
    for (const home of this.homes) home.killNow();
  };

  constructor(options: RunnerPoolOptions = {}) {
    this.python = options.python ?? DEFAULT_PYTHON;
    process.once("exit", this.killOnExit);
  }

  /** A Node runner ready to take a job: the spare when it is alive, else a fresh one; then a new spare is spawned. */
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

  /**
   * Throws the 400 `unsupported_language` when this machine cannot run the language: Python without Playwright for
   * Python, bash without agent-browser installed.
   */
  async assertSupported(language: ExecuteLanguage): Promise<void> {
    if (language === "python" && !(await pythonHasPlaywright(this.python))) {
      throw new EmulatorHttpError(
        400,
        "unsupported_language",
        `Python execute needs Playwright for Python, which ${this.python} cannot import: run \`${PYTHON_INSTALL_HINT}\` ` +
          "(no browser download is needed: the code attaches to the emulator's Chromium)",
        { field: "language", rule: "enum", limit: ["node", "bash"] },
      );
    }
    if (language === "bash" && !resolveAgentBrowser()) {
      throw new EmulatorHttpError(
        400,
        "unsupported_language",
        "Bash execute runs agent-browser, which is not installed: run `npm i agent-browser`",
        { field: "language", rule: "enum", limit: ["node", "python"] },
      );
    }
  }

  /** Creates a session's agent-browser home, remembered until {@link releaseAgentBrowser}. */
  async agentBrowser(options: Parameters<typeof AgentBrowserHome.create>[0]): Promise<AgentBrowserHome> {
    const home = await AgentBrowserHome.create(options);
    this.homes.add(home);
    return home;
  }

  /** Stops a session's agent-browser daemons and removes its home. */
  async releaseAgentBrowser(home: AgentBrowserHome): Promise<void> {
    try {
      await home.stop();
    } finally {
      this.homes.delete(home);
    }
  }

  /** Kills the spare runner and any agent-browser daemon still known; later takes still work but keep no spare. */
  close(): void {
    this.closed = true;
    if (this.spare) killGroup(this.spare);
    this.spare = undefined;
    for (const home of this.homes) {
      home.killNow();
      void this.releaseAgentBrowser(home);
    }
    process.off("exit", this.killOnExit);
  }
}
