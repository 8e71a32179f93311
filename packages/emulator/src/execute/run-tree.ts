import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { canScanProcesses, environHas, liveProcesses } from "../browser/processes.js";

/** The environment variable that marks every process of one run (its value is the run's random token). */
export const RUN_MARKER_VAR = "FCI_RUN";

// Scans of a kill: each SIGKILLs what it finds, until one finds nothing (a fork in flight shows up in the next).
const KILL_ROUNDS = 50;
const ROUND_PAUSE_MS = 10;

const sigkill = (target: number) => {
  try {
    process.kill(target, "SIGKILL");
  } catch {
    // Already gone, or not a group.
  }
};

/**
 * Every process one run started: its main child leads a process group of its own, and every process of the run
 * carries `FCI_RUN=<token>` in its environment, which a detached child (`setsid`, `nohup … &` then a new group, Node's
 * `detached: true`) keeps although it leaves the group. Killing the run scans /proc for both and SIGKILLs them,
 * round after round, until none is left. Only processes the run started can match: the emulator and its Chromiums
 * never carry the token, and a pgid cannot be handed to a new group while a process of the old one lives.
 */
export class RunTree {
  private readonly token = randomBytes(12).toString("hex");
  private pgid: number | undefined;

  /** The `NAME=value` entry in the environment of every process of the run. */
  get marker(): string {
    return `${RUN_MARKER_VAR}=${this.token}`;
  }

  /** The environment entry to add to the main child's own. */
  get env(): Record<string, string> {
    return { [RUN_MARKER_VAR]: this.token };
  }

  /** Records the main child, the leader of the run's process group. */
  lead(child: ChildProcess): void {
    this.pgid = child.pid;
  }

  /** Pids of the run's live processes: in its group, or carrying its marker. */
  members(): number[] {
    const { pgid, marker } = this;
    return liveProcesses((pid, stat) => pid !== process.pid && (Number(stat[2]) === pgid || environHas(pid, marker)));
  }

  // One round: SIGKILLs the group and every member found; returns how many were found.
  private killRound(): number {
    // No /proc (macOS): only the group can be killed; children that left it (setsid) are out of reach.
    if (this.pgid !== undefined) sigkill(-this.pgid);
    if (!canScanProcesses()) return 0;
    const pids = this.members();
    for (const pid of pids) sigkill(pid);
    return pids.length;
  }

  /** Kills every process of the run and resolves once a scan finds none (or after a bounded number of rounds). */
  async kill(): Promise<void> {
    for (let round = 0; round < KILL_ROUNDS && this.killRound() > 0; round++) {
      await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
    }
  }

  /** Kills every process of the run without yielding, for the host process's `exit`. */
  killNow(): void {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let round = 0; round < KILL_ROUNDS && this.killRound() > 0; round++) {
      Atomics.wait(pause, 0, 0, ROUND_PAUSE_MS);
    }
  }
}

/** A run's main child and the tree it belongs to. */
export interface RunChild {
  readonly child: ChildProcess;
  readonly tree: RunTree;
}

/** Spawns a run's main child in a process group of its own, its environment marked with a fresh {@link RunTree}. */
export function spawnRun(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, "detached"> & { env: NodeJS.ProcessEnv },
): RunChild {
  const tree = new RunTree();
  const child = spawn(command, args, { ...options, detached: true, env: { ...options.env, ...tree.env } });
  tree.lead(child);
  return { child, tree };
}
