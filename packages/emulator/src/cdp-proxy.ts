import { type RawData, WebSocket } from "ws";
import type { Session } from "./session.js";

/** Largest single CDP message the proxy forwards (screenshots and traces can be big). */
export const MAX_CDP_MESSAGE_BYTES = 256 * 1024 * 1024;

const ATTACHED = Buffer.from("Target.attachedToTarget");
const BRING_TO_FRONT = Buffer.from("Page.bringToFront");
const ACTIVATE = Buffer.from("Target.activateTarget");

const asBuffer = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/**
 * Pipes a client's CDP WebSocket to the session's browser-level endpoint, both ways. Client messages count as
 * session activity; a client bringing a tab to front moves the live view to that tab. Either side closing, or the
 * session ending, closes both.
 */
export function proxyCdp(session: Session, client: WebSocket): void {
  const upstream = new WebSocket(session.browserWsEndpoint, {
    perMessageDeflate: false,
    maxPayload: MAX_CDP_MESSAGE_BYTES,
  });
  const queued: { data: Buffer; binary: boolean }[] = [];
  // Flattened CDP session id → target id, learnt from the browser's attach events.
  const targetsBySession = new Map<string, string>();

  const closeBoth = (code = 1000, reason = "") => {
    unregister();
    if (client.readyState === WebSocket.OPEN || client.readyState === WebSocket.CONNECTING) client.close(code, reason);
    if (upstream.readyState === WebSocket.OPEN) upstream.close();
    else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  };
  const unregister = session.onEnd(() => closeBoth(4410, "session ended"));

  const followTab = (text: Buffer) => {
    if (text.indexOf(BRING_TO_FRONT) === -1 && text.indexOf(ACTIVATE) === -1) return;
    try {
      const message = JSON.parse(text.toString("utf8")) as {
        method?: string;
        sessionId?: string;
        params?: { targetId?: string };
      };
      const targetId =
        message.method === "Target.activateTarget"
          ? message.params?.targetId
          : message.method === "Page.bringToFront" && message.sessionId
            ? targetsBySession.get(message.sessionId)
            : undefined;
      if (targetId) session.activeTabs.activate(targetId);
    } catch {
      // Not JSON: the browser will answer with an error itself.
    }
  };

  client.on("message", (data, isBinary) => {
    session.touch();
    const buffer = asBuffer(data);
    followTab(buffer);
    if (upstream.readyState === WebSocket.OPEN) upstream.send(buffer, { binary: isBinary });
    else queued.push({ data: buffer, binary: isBinary });
  });
  upstream.on("open", () => {
    for (const message of queued.splice(0)) upstream.send(message.data, { binary: message.binary });
  });
  upstream.on("message", (data, isBinary) => {
    const buffer = asBuffer(data);
    if (buffer.indexOf(ATTACHED) !== -1) {
      try {
        const event = JSON.parse(buffer.toString("utf8")) as {
          method?: string;
          params?: { sessionId?: string; targetInfo?: { targetId?: string } };
        };
        const { sessionId, targetInfo } = event.params ?? {};
        if (event.method === "Target.attachedToTarget" && sessionId && targetInfo?.targetId) {
          targetsBySession.set(sessionId, targetInfo.targetId);
        }
      } catch {
        // Forward it anyway.
      }
    }
    if (client.readyState === WebSocket.OPEN) client.send(buffer, { binary: isBinary });
  });
  client.on("close", () => closeBoth());
  client.on("error", () => closeBoth());
  upstream.on("close", () => closeBoth(1011, "browser connection closed"));
  upstream.on("error", () => closeBoth(1011, "browser connection failed"));
}
