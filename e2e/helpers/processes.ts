import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The processes a browser-driving test may leave behind: Chromium, agent-browser (CLI and daemon), python. */
export const BROWSER_PROCESS_PATTERN = "chrom|agent-browser|python";

/** One live process, as /proc describes it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

const readProc = (pid: number, file: string): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "latin1");
  } catch {
    return undefined;
  }
};

/** State and parent of a process from /proc/<pid>/stat, or undefined once it is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  const text = readProc(pid, "stat");
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", ppid: Number(fields[1]) };
}

/** Live (non-zombie) processes whose command line matches `pattern` (`pgrep -f`), excluding this process. */
export function matchingProcesses(pattern = BROWSER_PROCESS_PATTERN): ProcessEntry[] {
  let output = "";
  try {
    output = execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" });
  } catch (error) {
    // pgrep exits 1 when nothing matches.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  const entries: ProcessEntry[] = [];
  for (const line of output.split("\n")) {
    const pid = Number(line.trim());
    if (!pid || pid === process.pid) continue;
    const info = stat(pid);
    if (!info || info.state === "Z") continue;
    const command = (readProc(pid, "cmdline") ?? "").split("\0").join(" ").trim();
    entries.push({ pid, ppid: info.ppid, command });
  }
  return entries;
}

/** True when `ancestor` is a parent, grandparent, … of `pid`. */
export function descendsFrom(pid: number, ancestor: number): boolean {
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth++) {
    const info = stat(current);
    if (!info) return false;
    if (info.ppid === ancestor) return true;
    current = info.ppid;
  }
  return false;
}

/** True when the process's environment holds `NAME=value` (inherited by everything a tagged process starts). */
export function hasEnvTag(pid: number, name: string, value: string): boolean {
  const environ = readProc(pid, "environ");
  return environ?.split("\0").includes(`${name}=${value}`) ?? false;
}

/** What marks a process as started by this test: an environment tag, and strings its command line or environment holds. */
export interface ProcessMarks {
  /** An environment variable set in this worker (inherited by children that keep the environment). */
  tag: { name: string; value: string };
  /** E.g. session ids (agent-browser's `--session fci-<id>`) or Chromium user-data-dirs. */
  markers: readonly string[];
}

/**
 * Processes matching {@link BROWSER_PROCESS_PATTERN} that were not in `before` and that this test started: children
 * of this worker, or (for daemons that detached and were re-parented) processes carrying its environment tag or one
 * of its markers in their command line or environment. Processes of test files running in parallel in other workers
 * have none of these, so they are not counted.
 */
export function leftoverProcesses(before: readonly ProcessEntry[], { tag, markers }: ProcessMarks): ProcessEntry[] {
  const known = new Set(before.map((entry) => entry.pid));
  const marked = (entry: ProcessEntry) => {
    const environ = readProc(entry.pid, "environ") ?? "";
    return markers.some((marker) => marker !== "" && (entry.command.includes(marker) || environ.includes(marker)));
  };
  return matchingProcesses().filter(
    (entry) =>
      !known.has(entry.pid) &&
      (descendsFrom(entry.pid, process.pid) || hasEnvTag(entry.pid, tag.name, tag.value) || marked(entry)),
  );
}
