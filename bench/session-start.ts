/**
 * Part 1: `POST /interact` → first live-view frame, with the warm pool and without, against a raw cold start of
 * the same Chromium (launch, CDP connect, attach, `Page.startScreencast`, first frame). Runs are interleaved.
 */
import { deleteSession, mustCreateSession } from "./api.js";
import type { EmulatorProcess } from "./emulator-process.js";
import { openLiveView } from "./live-view-client.js";
import { listProcesses, waitForQuiet } from "./proc.js";
import { rawColdStart } from "./raw-chromium.js";
import { formatMsSummary, formatRatio, type TableRow, verdict } from "./report.js";
import { ratio, type Summary, summarize } from "./stats.js";

/** Milliseconds from the start of `POST /interact` at which each phase finished. */
export interface EmulatorStartPhases {
  /** The 200 response arrived (the session has its browser and its URLs). */
  readonly created: number;
  /** The live-view WebSocket is open. */
  readonly socketOpen: number;
  /** The first JPEG frame arrived: the total. */
  readonly firstFrame: number;
}

/** Summaries of every phase of one way of starting. */
export type PhaseSummaries<T> = { readonly [K in keyof T]: Summary };

/** Session start, three ways, same run. */
export interface SessionStartResult {
  readonly warm: PhaseSummaries<EmulatorStartPhases>;
  readonly cold: PhaseSummaries<EmulatorStartPhases>;
  readonly raw: PhaseSummaries<{ launched: number; connected: number; attached: number; firstFrame: number }>;
}

/** Session-start targets for emulator ÷ raw, median against median. */
export const START_TARGETS = { warm: 0.8, cold: 1.3 } as const;

async function groupGone(pgid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && listProcesses().some((p) => p.pgid === pgid)) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One emulator start: create, open the live view, first frame; then delete and wait for its Chromium to be gone. */
export async function emulatorStart(emulator: EmulatorProcess): Promise<EmulatorStartPhases> {
  const t0 = performance.now();
  const { session } = await mustCreateSession(emulator.url);
  const created = performance.now() - t0;
  const viewer = await openLiveView(session.liveViewUrl);
  const socketOpen = performance.now() - t0;
  try {
    const frame = await viewer.frameAfter(0, 30_000);
    return { created, socketOpen, firstFrame: frame.at - t0 };
  } finally {
    await viewer.close();
    const pid = (await emulator.sessions()).find((s) => s.id === session.id)?.pid;
    await deleteSession(emulator.url, session.id);
    if (pid) await groupGone(pid);
  }
}

function summarizePhases<T extends object>(runs: readonly T[]): PhaseSummaries<T> {
  const keys = Object.keys(runs[0] ?? {}) as (keyof T)[];
  return Object.fromEntries(
    keys.map((key) => [key, summarize(runs.map((run) => Number(run[key])))]),
  ) as PhaseSummaries<T>;
}

/** Runs `reps` rounds of raw, warm and cold starts, rotating their order; waits for an idle machine before each. */
export async function benchSessionStart(
  warm: EmulatorProcess,
  cold: EmulatorProcess,
  chromiumPath: string,
  reps: number,
): Promise<SessionStartResult> {
  const runs = {
    warm: [] as EmulatorStartPhases[],
    cold: [] as EmulatorStartPhases[],
    raw: [] as Awaited<ReturnType<typeof rawColdStart>>[],
  };
  const kinds = ["raw", "warm", "cold"] as const;
  // One discarded round: the first launch of a binary pays for page-cache misses the others do not.
  for (let rep = -1; rep < reps; rep++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + Math.max(rep, 0)) % kinds.length] ?? "raw";
      await warm.warm();
      await waitForQuiet(process.pid);
      if (kind === "raw") {
        const phases = await rawColdStart(chromiumPath);
        if (rep >= 0) runs.raw.push(phases);
      } else {
        const phases = await emulatorStart(kind === "warm" ? warm : cold);
        if (rep >= 0) runs[kind].push(phases);
      }
    }
  }
  return { warm: summarizePhases(runs.warm), cold: summarizePhases(runs.cold), raw: summarizePhases(runs.raw) };
}

/** Table rows: totals against the raw cold start, then each phase so a miss shows where the time went. */
export function sessionStartRows(result: SessionStartResult): TableRow[] {
  const raw = result.raw.firstFrame;
  const row = (kind: "warm" | "cold", label: string): TableRow => {
    const value = ratio(result[kind].firstFrame.median, raw.median);
    return {
      part: 1,
      measurement: `session start ${label}: POST /interact → first live-view frame vs raw cold Chromium`,
      ours: formatMsSummary(result[kind].firstFrame),
      reference: formatMsSummary(raw),
      ratio: formatRatio(value),
      target: `≤ ${START_TARGETS[kind]}`,
      met: verdict(value <= START_TARGETS[kind]),
    };
  };
  const ms = (summary: Summary) => Math.round(summary.median);
  const phases = (kind: "warm" | "cold"): TableRow => ({
    part: 1,
    measurement: `  phases (medians, ms from start), pool ${kind === "warm" ? 1 : 0} vs raw`,
    ours: `POST ${ms(result[kind].created)} · socket ${ms(result[kind].socketOpen)} · frame ${ms(result[kind].firstFrame)}`,
    reference: `launch ${ms(result.raw.launched)} · cdp ${ms(result.raw.connected)} · attach ${ms(result.raw.attached)} · frame ${ms(result.raw.firstFrame)}`,
    ratio: "—",
    target: "—",
    met: "—",
  });
  return [row("warm", "(warm pool 1)"), phases("warm"), row("cold", "(warm pool 0)"), phases("cold")];
}
