import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

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
  }
}

/** Flags of every install: npm's cache first, no audit or funding requests. */
export const INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"];

/**
 * The environment of every child: no Firecrawl secret, no Next telemetry, no colours (with CI set, Vite colours the
 * port inside the URL it prints), and none of the npm lifecycle variables of a surrounding `npm test` (they would make
 * a nested npm act on this repository's package).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "FIRECRAWL_API_KEY" || name === "INIT_CWD" || /^npm_(package|lifecycle|config_workspace)/i.test(name))
      continue;
    env[name] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1", ...extra };
}

/** What a finished command printed and how it ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every child started here, so {@link killAll} can end them (and their process groups) whatever happened. */
const started = new Set<ChildProcess>();

/** Spawns `command` in its own process group (so its whole tree can be killed), output piped. */
export function startProcess(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? childEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
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
      started.delete(child);
      resolve(code);
    });
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Runs a command to its end (killing its group after `timeoutMs`) and returns its output and exit code. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  const proc = startProcess(command, args, options);
  const timer = setTimeout(() => killGroup(proc.child), options.timeoutMs ?? 300_000);
  try {
    const code = await proc.exited;
    return { code, ...proc.output() };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command and throws with its output when it does not exit 0. */
export async function runOk(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits or times out first. */
export function waitForOutput(
  started: ReturnType<typeof startProcess>,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpExecArray> {
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

/** Kills every child this module started that has not closed yet (for afterEach/afterAll). */
export function killAll(): void {
  for (const child of started) killGroup(child);
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
