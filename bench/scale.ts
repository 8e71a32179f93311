/**
 * Part 3: 1, 2, 4, 8 concurrent sessions on one emulator: create time under concurrency, fps each viewer gets on
 * an animated page while all stream at once (each viewer draws at 640×360, so each stream is 640×360, as the
 * emulator's live-view page in a 640×360 box gets), and resident memory per session (its Chromium's process group,
 * from /proc). At the emulator's `maxSessions`, one more create must be a clean 429.
 */
import { type CreatedSession, createSession, deleteSession, navigate } from "./api.js";
import type { EmulatorProcess } from "./emulator-process.js";
import { commonFrameSize, type FrameViewer } from "./frames.js";
import { openLiveView, VIEWER_640, type ViewerSize } from "./live-view-client.js";
import type { PageServer } from "./pages.js";
import { chromiumGroups, listProcesses, pssOf, sumRss, waitForQuiet } from "./proc.js";
import { formatMb, formatMsSummary, type TableRow, verdict } from "./report.js";
import { type Summary, summarize } from "./stats.js";
import { type CpuPerFrame, cpuTicks, measureFps } from "./stream-measure.js";

/** What one concurrency level measured. */
export interface ScaleStep {
  readonly sessions: number;
  /** Each `POST /interact` round trip, all sent at once. */
  readonly createMs: Summary;
  /** Median fps of each viewer, all streaming at once. */
  readonly fpsPerViewer: Summary;
  /** Chromium CPU ms per streamed frame, all sessions together: rises when browsers contend for the cores. */
  readonly chromiumCpuPerFrameMs: number;
  /** Sum of RSS over each session's Chromium process group, in bytes. */
  readonly rssPerSession: Summary;
  /** Sum of PSS over the same processes (shared pages split), in bytes. */
  readonly pssPerSession: Summary;
  /** The JPEG size of the viewers' frames, e.g. `640×360`. */
  readonly frameSize: string;
  /** Failures (create, navigation, live view), empty when the level ran clean. */
  readonly errors: readonly string[];
}

/** The answer to one create past `maxSessions`. */
export interface OverLimit {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: string | null;
}

/** Every level, and the over-limit probe. */
export interface ScaleResult {
  readonly steps: readonly ScaleStep[];
  readonly overLimit: OverLimit | null;
}

const message = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

async function groupsGone(pgids: readonly number[], timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const alive = () => listProcesses().some((p) => pgids.includes(p.pgid));
  while (performance.now() < deadline && alive()) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function runLevel(
  emulator: EmulatorProcess,
  pages: PageServer,
  count: number,
  fpsSeconds: number,
  probeOverLimit: boolean,
  viewerSize: ViewerSize,
): Promise<{ step: ScaleStep; overLimit: OverLimit | null }> {
  await emulator.warm();
  await waitForQuiet(process.pid);
  const errors: string[] = [];
  const outcomes = await Promise.all(Array.from({ length: count }, () => createSession(emulator.url)));
  const sessions: CreatedSession[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) sessions.push(outcome.session);
    else errors.push(`create: ${outcome.status} ${outcome.code}`);
  }
  let overLimit: OverLimit | null = null;
  const viewers: FrameViewer[] = [];
  try {
    if (probeOverLimit) {
      const extra = await createSession(emulator.url);
      if (extra.ok) {
        sessions.push(extra.session);
        errors.push("create past maxSessions answered 200");
      } else overLimit = { status: extra.status, code: extra.code, retryAfter: extra.retryAfter };
    }
    // The creates took the pool's browser: let its replacement launch before streaming starts.
    await emulator.warm();
    await waitForQuiet(process.pid, 3_000);
    const opened = await Promise.allSettled(
      sessions.map(async (session) => {
        await navigate(session.cdpUrl, `${pages.origin}/animated`);
        const viewer = await openLiveView(session.liveViewUrl, viewerSize);
        viewers.push(viewer);
        return viewer;
      }),
    );
    for (const result of opened) if (result.status === "rejected") errors.push(`open: ${message(result.reason)}`);
    // Windows of all viewers open together (same warm-up), so the first one's edges time them all.
    const edges: CpuPerFrame[] = [];
    const fps = await Promise.allSettled(
      viewers.map((viewer, i) =>
        measureFps(viewer, fpsSeconds, i === 0 ? () => edges.push(cpuTicks(emulator.pid)) : undefined),
      ),
    );
    let frames = 0;
    for (const result of fps) if (result.status === "fulfilled") frames += result.value.frames;
    const chromiumTicks = (edges[1]?.chromium ?? Number.NaN) - (edges[0]?.chromium ?? Number.NaN);
    const perViewer: number[] = [];
    for (const result of fps) {
      if (result.status === "fulfilled") perViewer.push(summarize(result.value.fps).median);
      else errors.push(`stream: ${message(result.reason)}`);
    }
    // Memory while every session is still streaming.
    const ids = new Set(sessions.map((s) => s.id));
    const pids = (await emulator.sessions()).filter((s) => ids.has(s.id)).map((s) => s.pid);
    const groups = chromiumGroups(emulator.pid);
    const rss = pids.map((pid) => sumRss(groups.get(pid) ?? []));
    const pss = pids.map((pid) => (groups.get(pid) ?? []).reduce((sum, p) => sum + pssOf(p.pid), 0));
    const step: ScaleStep = {
      sessions: count,
      createMs: summarize(outcomes.map((o) => o.ms)),
      fpsPerViewer: summarize(perViewer),
      // Linux clock ticks are 10 ms.
      chromiumCpuPerFrameMs: frames > 0 ? (chromiumTicks * 10) / frames : Number.NaN,
      rssPerSession: summarize(rss),
      pssPerSession: summarize(pss),
      frameSize: commonFrameSize(viewers.flatMap((viewer) => viewer.frames.slice(-20))),
      errors,
    };
    return { step, overLimit };
  } finally {
    await Promise.all(viewers.map((viewer) => viewer.close()));
    const pids = (await emulator.sessions()).filter((s) => sessions.some((c) => c.id === s.id)).map((s) => s.pid);
    await Promise.all(sessions.map((session) => deleteSession(emulator.url, session.id)));
    await groupsGone(pids);
  }
}

/**
 * Runs each level in turn, every viewer drawing at `viewerSize` (default 640×360); the last level should equal the
 * emulator's maxSessions so the 429 probe applies.
 */
export async function benchScale(
  emulator: EmulatorProcess,
  pages: PageServer,
  levels: readonly number[],
  fpsSeconds: number,
  viewerSize: ViewerSize = VIEWER_640,
): Promise<ScaleResult> {
  const steps: ScaleStep[] = [];
  let overLimit: OverLimit | null = null;
  for (const [index, count] of levels.entries()) {
    const level = await runLevel(emulator, pages, count, fpsSeconds, index === levels.length - 1, viewerSize);
    steps.push(level.step);
    overLimit = level.overLimit ?? overLimit;
  }
  return { steps, overLimit };
}

/** Median fps each viewer must get at these session counts on 2 cores, with viewer-sized streams. */
const FPS_TARGETS: Readonly<Record<number, number>> = { 4: 20, 8: 10 };

/** One row per level, plus the over-limit probe. */
export function scaleRows(result: ScaleResult, maxSessions: number): TableRow[] {
  const rows: TableRow[] = result.steps.map((step) => {
    const fps = FPS_TARGETS[step.sessions];
    return {
      part: 3,
      measurement: `scale ×${step.sessions}, ${step.frameSize} viewers: create · fps per viewer (median, min) · Chromium CPU/frame · RSS (PSS) per session`,
      ours: `${formatMsSummary(step.createMs)} · ${step.fpsPerViewer.median} fps, min ${step.fpsPerViewer.min} · ${Math.round(step.chromiumCpuPerFrameMs)} ms · ${formatMb(step.rssPerSession.median)} (${formatMb(step.pssPerSession.median)})`,
      reference: "—",
      ratio: "—",
      target: fps === undefined ? "no errors" : `no errors, ≥ ${fps} fps`,
      met: verdict(step.errors.length === 0 && (fps === undefined || step.fpsPerViewer.median >= fps)),
    };
  });
  const probe = result.overLimit;
  rows.push({
    part: 3,
    measurement: `scale: create #${maxSessions + 1} past maxSessions=${maxSessions}`,
    ours: probe ? `${probe.status} ${probe.code}, Retry-After ${probe.retryAfter ?? "absent"}` : "not probed",
    reference: "—",
    ratio: "—",
    target: "clean 429",
    met: verdict(probe?.status === 429),
  });
  return rows;
}
