/**
 * Part 2: frames per second of the live view on a page that animates every frame, for a viewer drawing at the page's
 * 1280×720 and for one drawing at 640×360 (the stream is sized to the viewer), and click → first frame that shows the
 * change through the interactive live-view socket; each next to the same measurement on a raw CDP screencast of the
 * same Chromium (capped at 640×360 for the small viewer). Windows and clicks alternate between them so load swings
 * hit all alike.
 */
import { deleteSession, mustCreateSession, navigate } from "./api.js";
import type { EmulatorProcess } from "./emulator-process.js";
import { commonFrameSize, type FrameViewer } from "./frames.js";
import { openLiveView, VIEWER_640, VIEWER_1280 } from "./live-view-client.js";
import type { PageServer } from "./pages.js";
import { waitForQuiet } from "./proc.js";
import { openRawScreencast } from "./raw-screencast.js";
import { formatMsSummary, formatRatio, type TableRow, verdict } from "./report.js";
import { ratio, type Summary, summarize } from "./stats.js";
import { type CpuPerFrame, cpuTicks, measureClick, measureFps } from "./stream-measure.js";

/** Frame rate, frame gaps and CPU cost of one way of streaming, plus click latency where it was measured. */
export interface StreamMeasurement {
  /** Frames per second, one sample per whole second of every measuring window. */
  readonly fps: Summary;
  /** Milliseconds between consecutive frames. */
  readonly frameGapMs: Summary;
  /** Click sent → first frame that differs from the one on screen before the click (n = 0: not measured). */
  readonly clickToFrameMs: Summary;
  /** CPU ms per streamed frame: the profile that says what limits fps. */
  readonly cpuPerFrameMs: CpuPerFrame;
  /** The JPEG size most frames had, e.g. `640×360`. */
  readonly frameSize: string;
}

/** The emulator's live view for a 1280×720 and a 640×360 viewer, and their raw screencast references. */
export interface StreamResult {
  /** A viewer drawing at 1280×720 (the page's size): full-size frames. */
  readonly liveView: StreamMeasurement;
  /** A viewer drawing at 640×360: the emulator streams 640×360 frames. */
  readonly liveView640: StreamMeasurement;
  readonly rawScreencast: StreamMeasurement;
  /** The reference of the 640×360 viewer: frame size is what costs Chromium CPU. */
  readonly rawScreencast640: StreamMeasurement;
}

/** The capped raw screencast, reference of the 640×360 viewer. */
export const SMALL_SCREENCAST = { maxWidth: 640, maxHeight: 360 } as const;

/** Streaming targets: frames per second, and median click-to-frame latency. */
export const STREAM_TARGETS = { fps: 25, clickP50Ms: 100 } as const;

type Kind = keyof StreamResult;
const KINDS: readonly Kind[] = ["liveView", "liveView640", "rawScreencast", "rawScreencast640"];

interface Samples {
  fps: number[];
  gaps: number[];
  frames: number;
  ticks: CpuPerFrame;
  clicks: number[];
  sizes: string[];
}

const NO_CPU: CpuPerFrame = { chromium: 0, emulator: 0, bench: 0 };
const add = (a: CpuPerFrame, b: CpuPerFrame, sign = 1): CpuPerFrame => ({
  chromium: a.chromium + sign * b.chromium,
  emulator: a.emulator + sign * b.emulator,
  bench: a.bench + sign * b.bench,
});

function toMeasurement(s: Samples): StreamMeasurement {
  // Linux clock ticks are 10 ms.
  const perFrame = (ticks: number) => (s.frames > 0 ? (ticks * 10) / s.frames : Number.NaN);
  return {
    fps: summarize(s.fps),
    frameGapMs: summarize(s.gaps),
    clickToFrameMs: summarize(s.clicks),
    cpuPerFrameMs: {
      chromium: perFrame(s.ticks.chromium),
      emulator: perFrame(s.ticks.emulator),
      bench: perFrame(s.ticks.bench),
    },
    frameSize: [...new Set(s.sizes)].join(", ") || "—",
  };
}

/**
 * `rounds` × (live view 1280, live view 640, raw, raw 640) fps windows of `seconds`, order rotating; then `clicks`
 * alternating clicks on the live view (1280×720 viewer) and the raw screencast, both open on the still click page.
 */
export async function benchStream(
  emulator: EmulatorProcess,
  pages: PageServer,
  chromiumPath: string,
  options: { rounds: number; seconds: number; clicks: number },
): Promise<StreamResult> {
  const samples = Object.fromEntries(
    KINDS.map((kind) => [kind, { fps: [], gaps: [], frames: 0, ticks: NO_CPU, clicks: [], sizes: [] }]),
  ) as unknown as Record<Kind, Samples>;
  await emulator.warm();
  const { session } = await mustCreateSession(emulator.url);
  // Creating took the pool's browser: let its replacement finish launching so it does not steal the CPU.
  await emulator.warm();
  const open = async (kind: Kind, path: "/animated" | "/click"): Promise<FrameViewer> => {
    if (kind === "rawScreencast" || kind === "rawScreencast640") {
      const overrides = kind === "rawScreencast640" ? SMALL_SCREENCAST : {};
      return openRawScreencast(chromiumPath, `${pages.origin}${path}`, overrides);
    }
    await navigate(session.cdpUrl, `${pages.origin}${path}`);
    const url = path === "/click" ? session.interactiveLiveViewUrl : session.liveViewUrl;
    return openLiveView(url, kind === "liveView640" ? VIEWER_640 : VIEWER_1280);
  };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < KINDS.length; i++) {
        const kind = KINDS[(i + round) % KINDS.length] ?? "liveView";
        // The session's page must not animate while the raw browsers are measured.
        await navigate(session.cdpUrl, "about:blank");
        await waitForQuiet(process.pid);
        const viewer = await open(kind, "/animated");
        const edges: CpuPerFrame[] = [];
        const result = await measureFps(viewer, options.seconds, () => edges.push(cpuTicks(emulator.pid))).finally(() =>
          viewer.close(),
        );
        const s = samples[kind];
        s.sizes.push(commonFrameSize(viewer.frames.slice(-result.frames)));
        s.fps.push(...result.fps);
        s.gaps.push(...result.gaps);
        s.frames += result.frames;
        if (edges[0] && edges[1]) s.ticks = add(s.ticks, add(edges[1], edges[0], -1));
      }
    }
    const ours = await open("liveView", "/click");
    const raw = await open("rawScreencast", "/click").catch(async (error: unknown) => {
      await ours.close();
      throw error;
    });
    try {
      for (let i = 0; i < options.clicks; i++) {
        for (const [kind, viewer] of i % 2 === 0
          ? ([
              ["liveView", ours],
              ["rawScreencast", raw],
            ] as const)
          : ([
              ["rawScreencast", raw],
              ["liveView", ours],
            ] as const)) {
          samples[kind].clicks.push(await measureClick(viewer));
        }
      }
    } finally {
      await Promise.all([ours.close(), raw.close()]);
    }
  } finally {
    await deleteSession(emulator.url, session.id);
  }
  return {
    liveView: toMeasurement(samples.liveView),
    rawScreencast: toMeasurement(samples.rawScreencast),
    liveView640: toMeasurement(samples.liveView640),
    rawScreencast640: toMeasurement(samples.rawScreencast640),
  };
}

/** Table rows: fps shows the median and the worst 1 s window; the raw screencast (capped alike) is the reference. */
export function streamRows(result: StreamResult): TableRow[] {
  const { liveView, liveView640, rawScreencast, rawScreencast640 } = result;
  const cpu = (c: CpuPerFrame) => `${c.chromium.toFixed(0)} · ${c.emulator.toFixed(1)} · ${c.bench.toFixed(1)} ms`;
  const fps = (m: StreamMeasurement) => `${m.fps.median} / ${m.fps.min} fps`;
  const viewerRows = (label: string, ours: StreamMeasurement, reference: StreamMeasurement, what: string) => [
    {
      part: 2,
      measurement: `stream fps, ${label} viewer, animated page (median / worst 1 s; frames ${ours.frameSize}) vs ${what}`,
      ours: fps(ours),
      reference: fps(reference),
      ratio: formatRatio(ratio(ours.fps.median, reference.fps.median)),
      target: `≥ ${STREAM_TARGETS.fps} fps`,
      met: verdict(ours.fps.median >= STREAM_TARGETS.fps),
    },
    {
      part: 2,
      measurement: `  frame gap, ${label}`,
      ours: formatMsSummary(ours.frameGapMs),
      reference: formatMsSummary(reference.frameGapMs),
      ratio: formatRatio(ratio(ours.frameGapMs.median, reference.frameGapMs.median)),
      target: "—",
      met: "—" as const,
    },
    {
      part: 2,
      measurement: `  CPU per frame, ${label}: Chromium · emulator · bench`,
      ours: cpu(ours.cpuPerFrameMs),
      reference: cpu(reference.cpuPerFrameMs),
      ratio: formatRatio(ratio(ours.cpuPerFrameMs.chromium, reference.cpuPerFrameMs.chromium)),
      target: "—",
      met: "—" as const,
    },
  ];
  return [
    ...viewerRows("1280×720", liveView, rawScreencast, "raw CDP screencast"),
    ...viewerRows("640×360", liveView640, rawScreencast640, "raw CDP screencast capped at 640×360"),
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
