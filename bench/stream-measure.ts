/** Frame-rate, input-latency and CPU measurements on any {@link FrameViewer}. */
import type { FrameViewer, ReceivedFrame } from "./frames.js";
import { descendants, isChromium, listProcesses } from "./proc.js";

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
): Promise<{ fps: number[]; gaps: number[]; frames: number }> {
  await viewer.frameAfter(0, 30_000);
  await sleep(1_000);
  const start = performance.now();
  onWindow("open");
  await sleep(seconds * 1000);
  onWindow("close");
  await sleep(50);
  const inWindow = viewer.frames.filter((f) => f.at >= start && f.at < start + seconds * 1000);
  return { fps: fpsWindows(inWindow, start, seconds), gaps: frameGaps(inWindow), frames: inWindow.length };
}

/** Clicks the middle of a still page once and resolves with the ms until a frame differs from the one before. */
export async function measureClick(viewer: FrameViewer): Promise<number> {
  await viewer.frameAfter(0, 30_000);
  await waitForStill(viewer, 250);
  const from = viewer.frames.length;
  const before = viewer.frames[from - 1]?.jpeg;
  const sent = performance.now();
  const at = { x: 640, y: 360, modifiers: 0, clickCount: 1 };
  viewer.sendInput({ type: "mouse", action: "mousePressed", button: "left", buttons: 1, ...at });
  viewer.sendInput({ type: "mouse", action: "mouseReleased", button: "left", buttons: 0, ...at });
  const changed = await viewer.frameAfter(from, 5_000, (frame) => !before || !frame.jpeg.equals(before));
  return changed.at - sent;
}

/** CPU time by who spent it (Linux clock ticks of 10 ms, or ms per frame once divided). */
export interface CpuPerFrame {
  /** Every Chromium process the bench started (directly or through the emulator). */
  readonly chromium: number;
  /** The emulator's Node process (its idle floor for the raw screencast). */
  readonly emulator: number;
  /** The bench process: receiving and decoding frames. */
  readonly bench: number;
}

/** CPU ticks used so far by the bench's Chromiums, the emulator process and the bench itself. */
export function cpuTicks(emulatorPid: number): CpuPerFrame {
  const table = listProcesses();
  const ticks = (pid: number) => table.find((p) => p.pid === pid)?.cpuTicks ?? 0;
  const chromium = descendants(process.pid, table).filter(isChromium);
  return {
    chromium: chromium.reduce((sum, p) => sum + p.cpuTicks, 0),
    emulator: ticks(emulatorPid),
    bench: ticks(process.pid),
  };
}
