/**
 * Part 6: create and delete sessions in a loop, then compare Chromium process count, the emulator's RSS and heap
 * (after a forced GC), and orphaned temp profiles against the baseline taken before the loop.
 */
import { existsSync } from "node:fs";
import { deleteSession, mustCreateSession } from "./api.js";
import type { EmulatorProcess } from "./emulator-process.js";
import { descendants, isChromium, listProcesses, waitForQuiet } from "./proc.js";
import { formatMb, type TableRow, verdict } from "./report.js";

/** Counts at one moment. */
export interface LeakSnapshot {
  /** Chromium processes below the emulator (the warm pool's spare included). */
  readonly chromiumProcesses: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/** Before and after the loop. */
export interface LeakResult {
  readonly cycles: number;
  readonly before: LeakSnapshot;
  readonly after: LeakSnapshot;
  /** Temp profiles of Chromiums that are gone but whose directory still exists. */
  readonly orphanedProfiles: number;
  /** How long after the last delete the process count took to return to the baseline (NaN: it never did). */
  readonly settleMs: number;
  readonly loopMs: number;
}

/** RSS growth tolerated after the loop: allocator high-water marks are not leaks, 50 sessions' worth of state is. */
export const RSS_TOLERANCE_BYTES = 10 * 1024 * 1024;

async function snapshot(emulator: EmulatorProcess): Promise<LeakSnapshot> {
  const { rss, heapUsed } = await emulator.memory();
  return { chromiumProcesses: descendants(emulator.pid).filter(isChromium).length, rss, heapUsed };
}

/** Runs `cycles` create → delete rounds as fast as the emulator answers. */
export async function benchLeaks(emulator: EmulatorProcess, cycles: number): Promise<LeakResult> {
  await emulator.warm();
  await waitForQuiet(emulator.pid);
  const before = await snapshot(emulator);
  const loopStart = performance.now();
  for (let i = 0; i < cycles; i++) {
    const { session } = await mustCreateSession(emulator.url);
    const status = await deleteSession(emulator.url, session.id);
    if (status !== 200) throw new Error(`DELETE /interact/{id} answered ${status} in cycle ${i + 1}`);
  }
  const loopEnd = performance.now();
  await emulator.warm();
  let settleMs = Number.NaN;
  while (performance.now() - loopEnd < 20_000) {
    if (descendants(emulator.pid).filter(isChromium).length <= before.chromiumProcesses) {
      settleMs = performance.now() - loopEnd;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await waitForQuiet(emulator.pid);
  const after = await snapshot(emulator);
  const alive = new Set(listProcesses().map((p) => p.pid));
  const { pids, userDataDirs } = await emulator.spawned();
  const orphanedProfiles = pids.filter((pid, i) => !alive.has(pid) && existsSync(userDataDirs[i] ?? "")).length;
  return { cycles, before, after, orphanedProfiles, settleMs, loopMs: loopEnd - loopStart };
}

/** Table rows: processes and temp profiles must be back exactly; RSS within the tolerance. */
export function leakRows(result: LeakResult): TableRow[] {
  const { before, after } = result;
  const rssGrowth = after.rss - before.rss;
  return [
    {
      part: 6,
      measurement: `leaks: ${result.cycles}× create+delete, Chromium processes before → after`,
      ours: `${before.chromiumProcesses} → ${after.chromiumProcesses} (settled ${Number.isFinite(result.settleMs) ? Math.round(result.settleMs) : "never"} ms), orphaned profiles ${result.orphanedProfiles}`,
      reference: "baseline",
      ratio: "—",
      target: "back to baseline",
      met: verdict(after.chromiumProcesses === before.chromiumProcesses && result.orphanedProfiles === 0),
    },
    {
      part: 6,
      measurement: "leaks: emulator RSS / heap after GC, before → after",
      ours: `${formatMb(before.rss)} → ${formatMb(after.rss)} / ${formatMb(before.heapUsed)} → ${formatMb(after.heapUsed)}`,
      reference: "baseline",
      ratio: "—",
      target: `RSS +≤ ${formatMb(RSS_TOLERANCE_BYTES)}`,
      met: verdict(rssGrowth <= RSS_TOLERANCE_BYTES),
    },
  ];
}
