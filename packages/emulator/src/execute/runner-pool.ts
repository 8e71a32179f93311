import { type ExecuteRequest, operations } from "firecrawl-interact/core";
import { EmulatorHttpError } from "../errors.js";
import { AgentBrowserHome, resolveAgentBrowser, runBashCode } from "./agent-browser.js";
import { runNodeCode, spawnNodeRunner } from "./node.js";
import { DEFAULT_PYTHON, PYTHON_INSTALL_HINT, pythonHasPlaywright, runPythonCode } from "./python.js";
import { RunLimits, type RunLimitsOptions } from "./run-limits.js";
import type { RunChild } from "./run-tree.js";
import { type ExecuteJob, type ExecuteRun, isRunning, killGroup } from "./supervise.js";

/** Seconds a run may take when the request gives no `timeout`: the spec's default. */
export const DEFAULT_EXECUTE_TIMEOUT_S: number = operations.executeBrowserCode.body.properties.timeout.default;
/** The language a request without `language` runs in: the spec's default (node). */
export const DEFAULT_EXECUTE_LANGUAGE: ExecuteLanguage = operations.executeBrowserCode.body.properties.language.default;
/** A language execute runs: `node` (Playwright), `python` (Playwright for Python), `bash` (agent-browser). */
export type ExecuteLanguage = NonNullable<ExecuteRequest["language"]>;

/** Options of {@link RunnerPool}: the Python to use and the caps on runs going on at once. */
export interface RunnerPoolOptions extends RunLimitsOptions {
  /** The Python executable for `language: "python"` (default `python3`). */
  python?: string;
}

/**
 * What runs execute code for one emulator: keeps one Node runner child spawned ahead (so an execute skips Node's
 * start and playwright-core's import; the spare is only made after the first execute), knows which Python to use
 * and whether it has Playwright, counts the runs going on against its caps ({@link RunLimits}), and keeps every
 * run and every session's agent-browser home so that no process of theirs outlives the emulator, even when its
 * host process exits without `close()`.
 */
export class RunnerPool {
  readonly python: string;
  /** The caps on runs going on at once; every run (code or prompt) takes a slot first. */
  readonly limits: RunLimits;
  private spare: RunChild | undefined;
  private closed = false;
  private readonly homes = new Set<AgentBrowserHome>();
  private readonly runs = new Set<ExecuteRun>();
  private readonly killOnExit = () => {
    for (const run of this.runs) run.killNow();
    for (const home of this.homes) home.killNow();
  };

  constructor(options: RunnerPoolOptions = {}) {
    this.python = options.python ?? DEFAULT_PYTHON;
    this.limits = new RunLimits(options);
    process.once("exit", this.killOnExit);
  }

  /** A Node runner ready to take a job: the spare when it is alive, else a fresh one; then a new spare is spawned. */
  take(): RunChild {
    const spare = this.spare;
    this.spare = undefined;
    const runner = spare && isRunning(spare.child) ? spare : spawnNodeRunner();
    if (spare && spare !== runner) killGroup(spare.child);
    if (!this.closed) {
      this.spare = spawnNodeRunner();
      this.spare.child.on("error", () => undefined);
    }
    return runner;
  }

  /** Starts a run of `job` in `language` (its slot already taken); a bash run needs the session's agent-browser `home`. */
  run(job: ExecuteJob, language: ExecuteLanguage, home: AgentBrowserHome | undefined): ExecuteRun {
    const run = this.start(job, language, home);
    this.runs.add(run);
    void run.outcome.finally(() => this.runs.delete(run));
    return run;
  }

  private start(job: ExecuteJob, language: ExecuteLanguage, home: AgentBrowserHome | undefined): ExecuteRun {
    if (language === "python") return runPythonCode(job, this.python);
    if (language === "bash" && home) return runBashCode(job, home);
    return runNodeCode(job, this.take());
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

  /**
   * Kills the spare runner, any run still going on and any agent-browser daemon still known; later takes still work
   * but keep no spare.
   */
  close(): void {
    this.closed = true;
    for (const run of this.runs) void run.kill();
    if (this.spare) killGroup(this.spare.child);
    this.spare = undefined;
    for (const home of this.homes) {
      home.killNow();
      void this.releaseAgentBrowser(home);
    }
    process.off("exit", this.killOnExit);
  }
}
