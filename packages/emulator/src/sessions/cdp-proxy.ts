import type { WebSocket } from "ws";
import type { ActiveTabTracker } from "../browser/active-tab.js";
import { bridgeCdpSocket, MAX_CDP_MESSAGE_BYTES } from "../browser/cdp-socket.js";
import type { Session } from "./session.js";

export { MAX_CDP_MESSAGE_BYTES };

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
 * their text holds one of those method names.
 */
class TabFollower {
  // Flattened CDP session id → target id.
  private readonly targetsBySession = new Map<string, string>();

  constructor(private readonly tabs: ActiveTabTracker) {}

  /** Learns the target of a flattened session from a browser message. */
  fromBrowser(text: string): void {
    if (!text.includes("Target.attachedToTarget")) return;
    try {
      const event = JSON.parse(text) as BrowserEvent;
      const { sessionId, targetInfo } = event.params ?? {};
      if (event.method === "Target.attachedToTarget" && sessionId && targetInfo?.targetId) {
        this.targetsBySession.set(sessionId, targetInfo.targetId);
      }
    } catch {
      // Forward it anyway.
    }
  }

  /** Activates the tab a client message brings to front, if it does. */
  fromClient(text: string): void {
    if (!text.includes("Page.bringToFront") && !text.includes("Target.activateTarget")) return;
    try {
      const targetId = this.targetOf(JSON.parse(text) as ClientMessage);
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
 * Joins a client's CDP WebSocket to a channel of its own on the session's browser. Client messages count as session
 * activity; a client bringing a tab to front moves the live view to that tab. The client closing, the browser going
 * away (1011) or the session ending (4410) closes both.
 */
export function proxyCdp(session: Session, client: WebSocket): void {
  const tabs = new TabFollower(session.activeTabs);
  const close = bridgeCdpSocket(client, session.openCdpChannel(), {
    fromClient: (text) => {
      session.touch();
      tabs.fromClient(text);
    },
    fromBrowser: (text) => tabs.fromBrowser(text),
  });
  const unregister = session.onEnd(() => close(4410, "session ended"));
  client.once("close", unregister);
}
