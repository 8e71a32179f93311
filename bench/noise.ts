/**
 * How much of the machine other processes used while a part ran: CPU ticks of the whole machine (/proc/stat)
 * minus those of the bench's own process tree (live processes plus the reaped ones, through cutime/cstime).
 */
import { readFileSync } from "node:fs";
import { descendants, listProcesses } from "./proc.js";

/** Cumulative CPU ticks at one moment. */
export interface CpuSnapshot {
  /** Ticks the machine spent busy (not idle, not waiting for I/O), all cores. */
  readonly busy: number;
  /** All ticks, all cores. */
  readonly total: number;
  /** Ticks of the bench and everything it started, finished or not. */
  readonly ours: number;
}

function treeTicksWithReaped(rootPid: number): number {
  const table = listProcesses();
  const tree = [rootPid, ...descendants(rootPid, table).map((p) => p.pid)];
  let ticks = 0;
  for (const pid of tree) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime stime cutime cstime: own time plus that of reaped children.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // ended while we looked: its time is in its parent's cutime once reaped
    }
  }
  return ticks;
}

/** Reads the machine's and the bench's CPU counters now. */
export function cpuSnapshot(): CpuSnapshot {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait, ours: treeTicksWithReaped(process.pid) };
}

/** Share (0–1) of the machine's CPU that processes outside the bench used between two snapshots. */
export function foreignShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.total - before.total;
  if (total <= 0) return Number.NaN;
  const foreign = after.busy - before.busy - (after.ours - before.ours);
  return Math.min(1, Math.max(0, foreign / total));
}
