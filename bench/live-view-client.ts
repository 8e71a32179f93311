/** A bench-side live-view viewer: the same WebSocket the emulator's live-view page opens. */
import { decodeLiveViewFrame } from "firecrawl-interact/spec";
import { WebSocket } from "ws";
import { FrameLog, type FrameViewer } from "./frames.js";

/** Opens the live-view WebSocket of a `liveViewUrl` (or `interactiveLiveViewUrl`) and resolves once it is open. */
export function openLiveView(liveViewUrl: string, timeoutMs = 30_000): Promise<FrameViewer> {
  const socket = new WebSocket(liveViewUrl.replace(/^http/, "ws"), { perMessageDeflate: false });
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
