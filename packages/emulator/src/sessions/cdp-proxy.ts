import { type RawData, WebSocket } from "ws";
import type { ActiveTabTracker } from "../browser/active-tab.js";
import { MAX_CDP_MESSAGE_BYTES } from "../browser/cdp-socket.js";
import type { Session } from "./session.js";

export { MAX_CDP_MESSAGE_BYTES };

const ATTACHED = Buffer.from("Target.attachedToTarget");
const BRING_TO_FRONT = Buffer.from("Page.bringToFront");
const ACTIVATE = Buffer.from("Target.activateTarget");

const asBuffer = (data: RawData): Buffer => {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
};

// A client's CDP message that may move the active tab.
interface ClientMessage {
  method?: string;
  sessionId?: string;
  params?: { targetId?: string };
}

// A browser's CDP event that may name the target of a flattened session.
interface BrowserEvent {
  method?: string;
  params?: { sessionId?: string; targetInfo?: { targetId?: string } };
}

/**
 * Moves the live view with a CDP client: `Target.activateTarget` names its tab, `Page.bringToFront` is sent on a
 * flattened session whose tab the browser's `Target.attachedToTarget` events told. Messages are only parsed when
 * their bytes hold one of those method names.
 */
class TabFollower {
  // Flattened CDP session id → target id.
  private readonly targetsBySession = new Map<string, string>();

  constructor(private readonly tabs: ActiveTabTracker) {}

  /** Learns the target of a flattened session from a browser message. */
  fromBrowser(buffer: Buffer): void {
    if (buffer.indexOf(ATTACHED) === -1) return;
    try {
      const event = JSON.parse(buffer.toString("utf8")) as BrowserEvent;
      const { sessionId, targetInfo } = event.params ?? {};
      if (event.method === "Target.attachedToTarget" && sessionId && targetInfo?.targetId) {
        this.targetsBySession.set(sessionId, targetInfo.targetId);
      }
    } catch {
      // Forward it anyway.
    }
  }

  /** Activates the tab a client message brings to front, if it does. */
  fromClient(buffer: Buffer): void {
    if (buffer.indexOf(BRING_TO_FRONT) === -1 && buffer.indexOf(ACTIVATE) === -1) return;
    try {
      const targetId = this.targetOf(JSON.parse(buffer.toString("utf8")) as ClientMessage);
      if (targetId) this.tabs.activate(targetId);
    } catch {
      // Not JSON: the browser will answer with an error itself.
    }
  }

  private targetOf(message: ClientMessage): string | undefined {
    if (message.method === "Target.activateTarget") return message.params?.targetId;
    if (message.method === "Page.bringToFront" && message.sessionId)
      return this.targetsBySession.get(message.sessionId);
    return undefined;
  }
}

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
  const tabs = new TabFollower(session.activeTabs);

  const closeBoth = (code = 1000, reason = "") => {
    unregister();
    if (client.readyState === WebSocket.OPEN || client.readyState === WebSocket.CONNECTING) client.close(code, reason);
    if (upstream.readyState === WebSocket.OPEN) upstream.close();
    else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  };
  const unregister = session.onEnd(() => closeBoth(4410, "session ended"));

  client.on("message", (data, isBinary) => {
    session.touch();
    const buffer = asBuffer(data);
    tabs.fromClient(buffer);
    if (upstream.readyState === WebSocket.OPEN) upstream.send(buffer, { binary: isBinary });
    else queued.push({ data: buffer, binary: isBinary });
  });
  upstream.on("open", () => {
    for (const message of queued.splice(0)) upstream.send(message.data, { binary: message.binary });
  });
  upstream.on("message", (data, isBinary) => {
    const buffer = asBuffer(data);
    tabs.fromBrowser(buffer);
    if (client.readyState === WebSocket.OPEN) client.send(buffer, { binary: isBinary });
  });
  client.on("close", () => closeBoth());
  client.on("error", () => closeBoth());
  upstream.on("close", () => closeBoth(1011, "browser connection closed"));
  upstream.on("error", () => closeBoth(1011, "browser connection failed"));
}
