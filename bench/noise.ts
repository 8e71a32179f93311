/**
 * How much of the machine other processes used while a part ran: CPU ticks of the whole machine (/proc/stat)
 * minus those of the bench's own process tree. Chromium's children are often reaped outside our tree when a
 * browser is killed, so a sampler remembers the last CPU time of every process it has seen below the bench.
 */
import { readFileSync } from "node:fs";
import { descendants, listProcesses } from "./proc.js";

/** Cumulative CPU ticks at one moment. */
export interface CpuSnapshot {
  /** Ticks the machine spent busy (not idle, not waiting for I/O), all cores. */
  readonly busy: number;
  /** All ticks, all cores. */
  readonly total: number;
  /** Ticks of the bench and every process seen below it so far, finished or not. */
  readonly ours: number;
}

/** Remembers the latest CPU ticks of every process seen in the bench's tree (keyed by pid and start time). */
export class OwnCpuSampler {
  private readonly latest = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  /** Samples now and then every intervalMs until {@link stop}; the timer never keeps the bench alive. */
  start(intervalMs = 100): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the tree once and returns the CPU ticks of everything seen so far. */
  sample(): number {
    const table = listProcesses();
    const root = table.find((p) => p.pid === process.pid);
    for (const p of [...(root ? [root] : []), ...descendants(process.pid, table)]) {
      this.latest.set(`${p.pid}:${p.startTime}`, p.cpuTicks);
    }
    let sum = 0;
    for (const ticks of this.latest.values()) sum += ticks;
    return sum;
  }

  /** The machine's counters and ours, now. */
  snapshot(): CpuSnapshot {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    // user nice system idle iowait irq softirq steal
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait, ours: this.sample() };
  }
}

/** Share (0–1) of the machine's CPU that processes outside the bench used between two snapshots. */
export function foreignShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.total - before.total;
  if (total <= 0) return Number.NaN;
  const foreign = after.busy - before.busy - (after.ours - before.ours);
  return Math.min(1, Math.max(0, foreign / total));
}
