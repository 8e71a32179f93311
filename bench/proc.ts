/** Process table from /proc (Linux): who descends from whom, and how much memory each holds. */
import { readdirSync, readFileSync } from "node:fs";

/** One live process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group id: each emulated or raw Chromium leads its own group. */
  readonly pgid: number;
  /** Executable name, as /proc/<pid>/stat shows it (truncated to 15 characters). */
  readonly comm: string;
  /** Resident set size in bytes. */
  readonly rss: number;
  /** User + system CPU time so far, in clock ticks (1/100 s on Linux). */
  readonly cpuTicks: number;
  /** Start time in clock ticks since boot: with the pid, it names one process even when pids are reused. */
  readonly startTime: number;
}

const PAGE_SIZE = 4096;

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const open = stat.indexOf("(");
    const close = stat.lastIndexOf(")");
    // Fields after the parenthesised name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss …
    const fields = stat.slice(close + 2).split(" ");
    if (fields[0] === "Z") return null;
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      comm: stat.slice(open + 1, close),
      rss: Number(fields[21]) * PAGE_SIZE,
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      startTime: Number(fields[19]),
    };
  } catch {
    return null; // ended while we looked
  }
}

/** Every live (non-zombie) process on the machine. */
export function listProcesses(): ProcessInfo[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readProcess(Number(entry)) ?? []);
}

/** The processes below rootPid (children, grandchildren, …), not rootPid itself. */
export function descendants(rootPid: number, table: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of table) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of byParent.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** True for Chromium's browser, zygote, renderer, GPU and utility processes. */
export const isChromium = (p: ProcessInfo): boolean => /chrom/i.test(p.comm);

/** Chromium processes below rootPid, grouped by process group (one group per launched browser). */
export function chromiumGroups(rootPid: number, table?: readonly ProcessInfo[]): Map<number, ProcessInfo[]> {
  const groups = new Map<number, ProcessInfo[]>();
  for (const p of descendants(rootPid, table).filter(isChromium))
    groups.set(p.pgid, [...(groups.get(p.pgid) ?? []), p]);
  return groups;
}

/** Sum of resident memory of a list of processes, in bytes. */
export const sumRss = (processes: readonly ProcessInfo[]): number => processes.reduce((sum, p) => sum + p.rss, 0);

/** Resident memory of one process in bytes (0 when it is gone). */
export const rssOf = (pid: number): number => readProcess(pid)?.rss ?? 0;

/** CPU ticks used so far by rootPid and everything below it. */
export function treeCpuTicks(rootPid: number): number {
  const table = listProcesses();
  const root = table.find((p) => p.pid === rootPid);
  return (root?.cpuTicks ?? 0) + descendants(rootPid, table).reduce((sum, p) => sum + p.cpuTicks, 0);
}

/**
 * Waits until rootPid's process tree is idle: under `maxTicks` CPU ticks in a `windowMs` window (a just-launched
 * Chromium keeps working for a while after it answers). Gives up after `maxMs` and returns false.
 */
export async function waitForQuiet(rootPid: number, maxMs = 5_000, windowMs = 200, maxTicks = 2): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let before = treeCpuTicks(rootPid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = treeCpuTicks(rootPid);
    if (now - before <= maxTicks) return true;
    before = now;
  }
  return false;
}

/**
 * Proportional set size of one process in bytes (shared pages split among the processes that map them), from
 * /proc/<pid>/smaps_rollup; 0 when unreadable. Summing RSS over Chromium's processes counts its shared binary once
 * per process; PSS does not, so it is the fairer "memory this session costs".
 */
export function pssOf(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
