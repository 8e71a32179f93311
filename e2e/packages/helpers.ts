import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter } from "node:path";
import type { NodeRuntime } from "./node-runtimes.js";

/** The packed tarballs the global setup made, shared by every test of the project. */
export interface Packs {
  /** Absolute path of the main package's tarball. */
  readonly main: string;
  /** Absolute path of the emulator's tarball. */
  readonly emulator: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    packs: Packs;
    /** The Node releases the tests run their children on, cached by the global setup. */
    runtimes: NodeRuntime[];
  }
}

/** Flags of every install: npm's cache first, no audit or funding requests. */
export const INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"];

/** Variables of a surrounding `npm test` a child must not see: the lifecycle ones would make a nested npm act on this
 * repository's package, and NODE / npm_execpath name the Node and npm running the tests, not the child's. */
const NPM_RUN_VARIABLE = /^(INIT_CWD|NODE|npm_execpath|npm_node_execpath|npm_(package|lifecycle|config_workspace).*)$/i;

/**
 * The environment of every child: no Firecrawl secret, no Next telemetry, no colours (with CI set, Vite colours the
 * port inside the URL it prints), none of the npm variables of a surrounding `npm test`, and with `runtime` its
 * `node`, `npm` and `npx` first on PATH (so scripts, bins and `#!/usr/bin/env node` run on that release).
 */
export function childEnv(extra: Record<string, string> = {}, runtime?: NodeRuntime): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "FIRECRAWL_API_KEY" || NPM_RUN_VARIABLE.test(name)) continue;
    env[name] = value;
  }
  if (runtime) env.PATH = [runtime.binDir, env.PATH].filter(Boolean).join(delimiter);
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1", ...extra };
}

/** What a finished command printed and how it ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where and how long a child runs; `env` defaults to {@link childEnv} of the runtime that starts it. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** {@link NodeChildren.run} kills the child's group after this long (default 5 minutes). */
  timeoutMs?: number;
}

/** A child started by {@link NodeChildren.start}: the process, its exit code once closed, and what it printed so far. */
export interface StartedProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => { stdout: string; stderr: string };
}

/**
 * The children started on one Node release (the running one without a runtime): their environment puts that release
 * first on PATH, and {@link NodeChildren.killAll} ends only them, so suites of other releases running at the same time
 * keep theirs.
 */
export class NodeChildren {
  readonly #started = new Set<ChildProcess>();

  constructor(readonly runtime?: NodeRuntime) {}

  /** The `node` binary of this release. */
  get node(): string {
    return this.runtime?.node ?? process.execPath;
  }

  /** {@link childEnv} on this release. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return childEnv(extra, this.runtime);
  }

  /** Spawns `command` in its own process group (so its whole tree can be killed), output piped. */
  start(command: string, args: string[], options: RunOptions): StartedProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? this.env(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#started.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once("close", (code) => {
        this.#started.delete(child);
        resolve(code);
      });
    });
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  /** Runs a command to its end (killing its group after `timeoutMs`) and returns its output and exit code. */
  async run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
    const proc = this.start(command, args, options);
    const timer = setTimeout(() => killGroup(proc.child), options.timeoutMs ?? 300_000);
    try {
      const code = await proc.exited;
      return { code, ...proc.output() };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a command and throws with its output when it does not exit 0. */
  async runOk(command: string, args: string[], options: RunOptions): Promise<RunResult> {
    const result = await this.run(command, args, options);
    if (result.code !== 0) {
      throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /** Kills every child started here that has not closed yet (for afterEach/afterAll). */
  killAll(): void {
    for (const child of this.#started) killGroup(child);
  }
}

/** The children of the running Node, for the free functions below. */
const onRunningNode = new NodeChildren();

/** {@link NodeChildren.start} on the running Node. */
export const startProcess = (command: string, args: string[], options: RunOptions): StartedProcess =>
  onRunningNode.start(command, args, options);

/** {@link NodeChildren.run} on the running Node. */
export const run = (command: string, args: string[], options: RunOptions): Promise<RunResult> =>
  onRunningNode.run(command, args, options);

/** {@link NodeChildren.runOk} on the running Node. */
export const runOk = (command: string, args: string[], options: RunOptions): Promise<RunResult> =>
  onRunningNode.runOk(command, args, options);

/** Kills every child started on the running Node through the free functions that has not closed yet. */
export const killAll = (): void => onRunningNode.killAll();

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits or times out first. */
export function waitForOutput(started: StartedProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      const match = pattern.exec(started.output().stdout);
      if (match) finish(undefined, match);
    };
    const onExit = () => finish(new Error(`exited before printing ${pattern}: ${started.output().stderr}`));
    function finish(error: Error | undefined, match?: RegExpExecArray) {
      clearTimeout(timer);
      started.child.stdout?.off("data", check);
      started.child.off("exit", onExit);
      if (match) resolve(match);
      else reject(error);
    }
    started.child.stdout?.on("data", check);
    started.child.once("exit", onExit);
    check();
  });
}

/** SIGKILLs a child's whole process group if it may still be running. */
export function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/** One row of /proc: pid, parent, process group, command name and argv. */
interface ProcessInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  name: string;
  argv: string[];
}

/** The live (non-zombie) processes of this machine, read from /proc. */
export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state ppid pgrp …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      found.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), name, argv });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Every live descendant of `root` (children, grandchildren, …). */
export function descendants(root: number): ProcessInfo[] {
  const all = processes();
  const result: ProcessInfo[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        result.push(info);
        grew = true;
      }
    }
  }
  return result;
}

/** Polls `probe` every 100 ms until it returns a value, or throws after `timeoutMs`. */
export async function poll<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A TCP port free on 127.0.0.1 right now, for servers (like `next start`) that print no port of their own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Names in `node_modules`, scoped packages as `@scope/name`, dot entries (npm's lockfile copy, .bin) left out. */
export function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(`${nodeModules}/${name}`).map((scoped) => `${name}/${scoped}`) : [name],
    )
    .sort();
}

/** Disk usage of a directory in KiB, as `du -sk` reports it. */
export async function duKib(dir: string): Promise<number> {
  const { stdout } = await runOk("du", ["-sk", dir], { cwd: dir });
  return Number(stdout.split("\t")[0]);
}
