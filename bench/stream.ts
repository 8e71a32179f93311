/**
 * Part 2: frames per second of the live view on a page that animates every frame, and click → first frame that
 * shows the change through the interactive live-view socket; each next to the same measurement on a raw CDP
 * screencast of the same Chromium, which tells the emulator's overhead apart from what Chromium itself delivers.
 */
import { deleteSession, mustCreateSession, navigate } from "./api.js";
import type { EmulatorProcess } from "./emulator-process.js";
import type { FrameViewer, ReceivedFrame } from "./frames.js";
import { openLiveView } from "./live-view-client.js";
import type { PageServer } from "./pages.js";
import { descendants, isChromium, listProcesses, waitForQuiet } from "./proc.js";
import { openRawScreencast } from "./raw-screencast.js";
import { formatMsSummary, formatRatio, type TableRow, verdict } from "./report.js";
import { ratio, type Summary, summarize } from "./stats.js";

/** Frame rate and input latency of one viewer. */
export interface StreamMeasurement {
  /** Frames per second, one sample per whole second of the measuring window. */
  readonly fps: Summary;
  /** Milliseconds between consecutive frames. */
  readonly frameGapMs: Summary;
  /** Click sent → first frame that differs from the one on screen before the click. */
  readonly clickToFrameMs: Summary;
  /** Where the CPU went while streaming: the profile that says what limits fps. */
  readonly cpuPerFrameMs: CpuPerFrame;
}

/** The emulator's live view and the raw screencast reference. */
export interface StreamResult {
  readonly liveView: StreamMeasurement;
  readonly rawScreencast: StreamMeasurement;
}

/** Issue 7's targets. */
export const STREAM_TARGETS = { fps: 25, clickP50Ms: 100 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Frames per whole second of [start, start + seconds·1000). */
export function fpsWindows(frames: readonly ReceivedFrame[], start: number, seconds: number): number[] {
  const counts = new Array<number>(seconds).fill(0);
  for (const frame of frames) {
    const slot = Math.floor((frame.at - start) / 1000);
    if (slot >= 0 && slot < seconds) counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

/** Gaps between consecutive frame arrivals, in ms. */
export const frameGaps = (frames: readonly ReceivedFrame[]): number[] =>
  frames.slice(1).map((frame, i) => frame.at - (frames[i]?.at ?? frame.at));

/** Waits until no frame has arrived for quietMs (the page is still), up to maxMs. */
export async function waitForStill(viewer: FrameViewer, quietMs: number, maxMs = 5_000): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const last = viewer.frames[viewer.frames.length - 1];
    if (last && performance.now() - last.at >= quietMs) return;
    await sleep(25);
  }
}

/** Measures fps for `seconds` after one second of warm-up; `onWindow` runs as the window opens and closes. */
export async function measureFps(
  viewer: FrameViewer,
  seconds: number,
  onWindow: (edge: "open" | "close") => void = () => undefined,
): Promise<{ fps: number[]; gaps: number[] }> {
  await viewer.frameAfter(0, 30_000);
  await sleep(1_000);
  const start = performance.now();
  onWindow("open");
  await sleep(seconds * 1000);
  onWindow("close");
  await sleep(50);
  const inWindow = viewer.frames.filter((f) => f.at >= start && f.at < start + seconds * 1000);
  return { fps: fpsWindows(inWindow, start, seconds), gaps: frameGaps(inWindow) };
}

/** CPU milliseconds per streamed frame, by who spent them. */
export interface CpuPerFrame {
  /** Every Chromium process the bench started (directly or through the emulator). */
  readonly chromium: number;
  /** The emulator's Node process (0 for the raw screencast). */
  readonly emulator: number;
  /** The bench process: receiving and decoding frames. */
  readonly bench: number;
}

function cpuTicks(emulatorPid: number) {
  const table = listProcesses();
  const ticks = (pid: number) => table.find((p) => p.pid === pid)?.cpuTicks ?? 0;
  const chromium = descendants(process.pid, table).filter(isChromium);
  return {
    chromium: chromium.reduce((sum, p) => sum + p.cpuTicks, 0),
    emulator: ticks(emulatorPid),
    bench: ticks(process.pid),
  };
}

/** Clicks the middle of the page `clicks` times; each click must produce a frame that differs from the last one. */
export async function measureClicks(viewer: FrameViewer, clicks: number): Promise<number[]> {
  await viewer.frameAfter(0, 30_000);
  const latencies: number[] = [];
  for (let i = 0; i < clicks; i++) {
    await waitForStill(viewer, 250);
    const from = viewer.frames.length;
    const before = viewer.frames[from - 1]?.jpeg;
    const sent = performance.now();
    const at = { x: 640, y: 360, modifiers: 0, clickCount: 1 };
    viewer.sendInput({ type: "mouse", action: "mousePressed", button: "left", buttons: 1, ...at });
    viewer.sendInput({ type: "mouse", action: "mouseReleased", button: "left", buttons: 0, ...at });
    const changed = await viewer.frameAfter(from, 5_000, (frame) => !before || !frame.jpeg.equals(before));
    latencies.push(changed.at - sent);
  }
  return latencies;
}

async function measure(
  open: (path: string) => Promise<FrameViewer>,
  seconds: number,
  clicks: number,
  emulatorPid: number,
): Promise<StreamMeasurement> {
  const watcher = await open("/animated");
  const ticks: ReturnType<typeof cpuTicks>[] = [];
  const { fps, gaps } = await measureFps(watcher, seconds, () => ticks.push(cpuTicks(emulatorPid))).finally(() =>
    watcher.close(),
  );
  const frames = gaps.length + 1;
  // Linux clock ticks are 10 ms.
  const perFrame = (key: keyof CpuPerFrame) => ((ticks[1]?.[key] ?? 0) - (ticks[0]?.[key] ?? 0)) * (10 / frames);
  const driver = await open("/click");
  const latencies = await measureClicks(driver, clicks).finally(() => driver.close());
  return {
    fps: summarize(fps),
    frameGapMs: summarize(gaps),
    clickToFrameMs: summarize(latencies),
    cpuPerFrameMs: { chromium: perFrame("chromium"), emulator: perFrame("emulator"), bench: perFrame("bench") },
  };
}

/** Measures the live view of one warm session, then a raw screencast on the same pages. */
export async function benchStream(
  emulator: EmulatorProcess,
  pages: PageServer,
  chromiumPath: string,
  seconds: number,
  clicks: number,
): Promise<StreamResult> {
  await emulator.warm();
  const { session } = await mustCreateSession(emulator.url);
  let liveView: StreamMeasurement;
  try {
    // Creating took the pool's browser: let its replacement finish launching so it does not steal the CPU.
    await emulator.warm();
    await waitForQuiet(process.pid);
    liveView = await measure(
      async (path) => {
        await navigate(session.cdpUrl, `${pages.origin}${path}`);
        return openLiveView(path === "/click" ? session.interactiveLiveViewUrl : session.liveViewUrl);
      },
      seconds,
      clicks,
      emulator.pid,
    );
  } finally {
    await deleteSession(emulator.url, session.id);
  }
  await waitForQuiet(process.pid);
  const rawScreencast = await measure(
    (path) => openRawScreencast(chromiumPath, `${pages.origin}${path}`),
    seconds,
    clicks,
    emulator.pid,
  );
  return { liveView, rawScreencast };
}

/** Table rows: fps shows the median and the worst 1 s window; the raw screencast is the reference. */
export function streamRows(result: StreamResult): TableRow[] {
  const { liveView, rawScreencast } = result;
  const cpu = (c: CpuPerFrame) => `${c.chromium.toFixed(0)} · ${c.emulator.toFixed(1)} · ${c.bench.toFixed(1)} ms`;
  return [
    {
      part: 2,
      measurement: "stream fps, animated page (median / worst 1 s) vs raw CDP screencast",
      ours: `${liveView.fps.median} / ${liveView.fps.min} fps`,
      reference: `${rawScreencast.fps.median} / ${rawScreencast.fps.min} fps`,
      ratio: formatRatio(ratio(liveView.fps.median, rawScreencast.fps.median)),
      target: `≥ ${STREAM_TARGETS.fps} fps`,
      met: verdict(liveView.fps.median >= STREAM_TARGETS.fps),
    },
    {
      part: 2,
      measurement: "  frame gap",
      ours: formatMsSummary(liveView.frameGapMs),
      reference: formatMsSummary(rawScreencast.frameGapMs),
      ratio: formatRatio(ratio(liveView.frameGapMs.median, rawScreencast.frameGapMs.median)),
      target: "—",
      met: "—",
    },
    {
      part: 2,
      measurement: "  CPU per frame: Chromium · emulator · bench",
      ours: cpu(liveView.cpuPerFrameMs),
      reference: cpu(rawScreencast.cpuPerFrameMs),
      ratio: formatRatio(ratio(liveView.cpuPerFrameMs.chromium, rawScreencast.cpuPerFrameMs.chromium)),
      target: "—",
      met: "—",
    },
    {
      part: 2,
      measurement: "click → first changed frame (interactive socket vs Input.dispatchMouseEvent)",
      ours: formatMsSummary(liveView.clickToFrameMs),
      reference: formatMsSummary(rawScreencast.clickToFrameMs),
      ratio: formatRatio(ratio(liveView.clickToFrameMs.median, rawScreencast.clickToFrameMs.median)),
      target: `p50 ≤ ${STREAM_TARGETS.clickP50Ms} ms`,
      met: verdict(liveView.clickToFrameMs.median <= STREAM_TARGETS.clickP50Ms),
    },
  ];
}
