import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isExecutable } from "../browser/chromium.js";
import { removeDir } from "../browser/launch.js";
import { processesWithEnv } from "../browser/processes.js";
import { RUN_MARKER_VAR, spawnRun } from "./run-tree.js";
import { type ExecuteJob, type ExecuteRun, supervise } from "./supervise.js";

/** How to start the agent-browser CLI: its native binary, or (no binary for this platform) its Node wrapper. */
export interface AgentBrowserCommand {
  readonly file: string;
  readonly args: readonly string[];
}

const isMusl = () =>
  platform() === "linux" && (existsSync("/lib/ld-musl-x86_64.so.1") || existsSync("/lib/ld-musl-aarch64.so.1"));

let resolved: AgentBrowserCommand | null | undefined;

/**
 * Finds the installed agent-browser (a dependency of the emulator): the native binary its package ships for this
 * platform, made executable when the install left it without the bit; else its Node wrapper; null when not installed.
 */
export function resolveAgentBrowser(): AgentBrowserCommand | null {
  if (resolved !== undefined) return resolved;
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve("agent-browser/package.json"));
  } catch {
    resolved = null;
    return resolved;
  }
  const os = platform() === "linux" && isMusl() ? "linux-musl" : platform();
  const cpu = arch() === "arm64" ? "arm64" : arch();
  const native = join(packageDir, "bin", `agent-browser-${os}-${cpu}${platform() === "win32" ? ".exe" : ""}`);
  if (existsSync(native)) {
    if (!isExecutable(native)) {
      try {
        chmodSync(native, 0o755);
      } catch {
        // Left to the wrapper below.
      }
    }
    if (isExecutable(native)) {
      resolved = { file: native, args: [] };
      return resolved;
    }
  }
  const wrapper = join(packageDir, "bin", "agent-browser.js");
  resolved = existsSync(wrapper) ? { file: process.execPath, args: [wrapper] } : null;
  return resolved;
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

const kill = (pid: number) => {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // Not a group leader, or already gone.
    }
  }
};

/**
 * One session's agent-browser: a private directory holding the `agent-browser` wrapper that bash runs find first on
 * PATH, an empty config (so a user-level ~/.agent-browser config plays no part), the daemon's socket and pid files,
 * and the working directory of bash runs (screenshots land there and go with the session).
 *
 * agent-browser sends each command to a background daemon that it starts on first use, detached into its own
 * session (it outlives the bash run that started it, by design). The wrapper sets `AGENT_BROWSER_CDP` to the
 * session's browser endpoint, injects `--session fci-<id>`, and points `AGENT_BROWSER_SOCKET_DIR` at this directory,
 * so every daemon of this session carries that path in its environment: {@link stop} finds them by it in /proc (or by
 * their pid files), kills each with its process group, and removes the directory. The daemon's own idle timeout is
 * set to the session's ttl as a last resort should the emulator itself be killed.
 */
export class AgentBrowserHome {
  private constructor(
    /** The private directory (also the daemons' socket directory). */
    readonly dir: string,
    /** The agent-browser `--session` name. */
    readonly sessionName: string,
  ) {}

  /** Directory to put first on PATH. */
  get binDir(): string {
    return join(this.dir, "bin");
  }

  /** Working directory of bash runs. */
  get workDir(): string {
    return join(this.dir, "work");
  }

  /** Creates the directory and the wrapper for a session's browser. Throws when agent-browser is not installed. */
  static async create(options: {
    sessionId: string;
    wsEndpoint: string;
    idleTimeoutMs: number;
  }): Promise<AgentBrowserHome> {
    const command = resolveAgentBrowser();
    if (!command) throw new Error("agent-browser is not installed");
    // Unix socket paths are short (about 100 bytes): a short prefix in the temp dir leaves room for the name.
    const dir = await mkdtemp(join(tmpdir(), "fci-ab-"));
    const home = new AgentBrowserHome(dir, `fci-${options.sessionId}`);
    try {
      await Promise.all([mkdir(home.binDir), mkdir(home.workDir)]);
      await writeFile(join(dir, "config.json"), "{}\n");
      const script = [
        "#!/bin/sh",
        "# agent-browser bound to one emulator session's Chromium.",
        `export AGENT_BROWSER_SOCKET_DIR=${shellQuote(dir)}`,
        `export AGENT_BROWSER_CONFIG=${shellQuote(join(dir, "config.json"))}`,
        "export AGENT_BROWSER_NO_VERSION_CHECK=1",
        // The daemon it starts serves the whole session: it must not carry the run's marker, or the run's end kills it.
        `unset ${RUN_MARKER_VAR}`,
        `export AGENT_BROWSER_IDLE_TIMEOUT_MS=${Math.max(10_000, Math.round(options.idleTimeoutMs))}`,
        // The endpoint holds its token: in the environment (this user's to read), not on a command line (everyone's).
        `export AGENT_BROWSER_CDP=${shellQuote(options.wsEndpoint)}`,
        `exec ${[command.file, ...command.args].map(shellQuote).join(" ")} --session ${shellQuote(home.sessionName)} "$@"`,
        "",
      ].join("\n");
      const wrapper = join(home.binDir, "agent-browser");
      await writeFile(wrapper, script, { mode: 0o700 });
      await chmod(wrapper, 0o700);
      return home;
    } catch (error) {
      await removeDir(dir);
      throw error;
    }
  }

  /** Pids of this session's live agent-browser daemons (and any process started from them). */
  daemonPids(): number[] {
    const pids = new Set(processesWithEnv(`AGENT_BROWSER_SOCKET_DIR=${this.dir}`));
    if (!existsSync("/proc")) {
      // No /proc to look in: the pid files the daemons wrote.
      try {
        for (const file of readdirSync(this.dir)) {
          if (!file.endsWith(".pid")) continue;
          const pid = Number(readFileSync(join(this.dir, file), "utf8").trim());
          if (Number.isInteger(pid) && pid > 0) pids.add(pid);
        }
      } catch {
        // Already removed.
      }
    }
    return [...pids];
  }

  /** Kills every daemon of this session at once and removes the directory, without waiting (for the host's exit). */
  killNow(): void {
    for (const pid of this.daemonPids()) kill(pid);
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A daemon still writing into it: the temp dir is cleaned by the system.
    }
  }

  /** Kills every daemon of this session, waits until they are gone (at most ~2 s), then removes the directory. */
  async stop(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const pids = this.daemonPids();
      if (pids.length === 0) break;
      for (const pid of pids) kill(pid);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await removeDir(this.dir);
  }
}

/** Runs a bash script in which `agent-browser` is the session's wrapper (see {@link AgentBrowserHome}). */
export function runBashCode(job: ExecuteJob, home: AgentBrowserHome): ExecuteRun {
  const run = spawnRun("bash", ["-c", job.code], {
    cwd: home.workDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: `${home.binDir}:${process.env.PATH ?? ""}`,
      HOME: process.env.HOME ?? "",
      ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
    },
  });
  return supervise(run, { timeoutSeconds: job.timeoutSeconds, result: "stdout" });
}
