/** A bench-side live-view viewer: the same WebSocket the emulator's live-view page opens. */
import { decodeLiveViewFrame } from "firecrawl-interact/core";
import { WebSocket } from "ws";
import { FrameLog, type FrameViewer } from "./frames.js";

/** The size a viewer draws at (CSS pixels and device pixel ratio), which the stream is sized to. */
export interface ViewerSize {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
}

/** A viewer drawing at 640×360, DPR 1: the stream's frames are 640×360. */
export const VIEWER_640: ViewerSize = { width: 640, height: 360, dpr: 1 };
/** A viewer drawing at the page's own 1280×720, DPR 1: full-size frames. */
export const VIEWER_1280: ViewerSize = { width: 1280, height: 720, dpr: 1 };

/**
 * Opens the live-view WebSocket of a `liveViewUrl` (or `interactiveLiveViewUrl`) and resolves once it is open. With
 * `viewer`, the socket URL carries its size (`w`, `h`, `dpr`) as the emulator's live-view page sends it, so the
 * stream is sized to it from the first frame; without, the stream is the page's full size.
 */
export function openLiveView(liveViewUrl: string, viewer?: ViewerSize, timeoutMs = 30_000): Promise<FrameViewer> {
  const url = new URL(liveViewUrl.replace(/^http/, "ws"));
  if (viewer) {
    url.searchParams.set("w", String(viewer.width));
    url.searchParams.set("h", String(viewer.height));
    url.searchParams.set("dpr", String(viewer.dpr));
  }
  const socket = new WebSocket(url.href, { perMessageDeflate: false });
  const log = new FrameLog();
  socket.on("message", (data, isBinary) => {
    if (isBinary) log.push(decodeLiveViewFrame(data as Buffer).jpeg);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error("live view did not open in time"));
    }, timeoutMs);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("open", () => {
      clearTimeout(timer);
      resolve({
        frames: log.frames,
        frameAfter: (from, waitMs, matches) => log.frameAfter(from, waitMs, matches),
        sendInput: (message) => socket.send(JSON.stringify(message)),
        close: async () => socket.terminate(),
      });
    });
  });
}
