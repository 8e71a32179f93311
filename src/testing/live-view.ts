import { LIVE_VIEW_MESSAGE_SOURCE, type LiveViewMessageType } from "../core/live-view-protocol.js";
import type { FakeSessionInfo } from "./sessions.js";

/**
 * Drives the live views of one session as its real viewer page would: the page in the iframe posts
 * `{ source: "firecrawl-interact", type, sessionId }` to its parent, and `<LiveView>` takes only messages from its own
 * iframe's window and the URL's origin. jsdom never loads the page, so the fake posts them for it.
 */
export interface FakeLiveView {
  /** The viewer reached the session: `<LiveView>` shows live. Throws for a session that ended. */
  connect(): void;
  /** The viewer lost its socket and is getting it back (the session still lives). */
  reconnecting(): void;
  /** The viewer stopped trying to reconnect. */
  disconnect(): void;
  /** The session ends (if it still runs: as when another tab deletes it) and its viewers say `ended`. */
  end(): void;
  /** The iframes that show this session now, read-only and interactive views alike. */
  frames(): HTMLIFrameElement[];
}

/** What a live-view driver needs of the fake: the session, whether a token is its, and ending it. */
export interface LiveViewHost {
  /** The session a `liveView(id)` names: by session id, or the browser of a scrape by `scrapeId`. */
  readonly find: (id: string) => FakeSessionInfo;
  readonly hasViewToken: (sessionId: string, token: string | null) => boolean;
  readonly end: (session: FakeSessionInfo) => void;
  /** `https://host` of the live-view URLs. */
  readonly origin: string;
}

/** The iframes of the document whose page is this session's viewer, with one of its tokens. */
export function viewerFrames(host: LiveViewHost, sessionId: string): HTMLIFrameElement[] {
  const document = (globalThis as { document?: Document }).document;
  if (!document) throw new Error("fake.liveView() needs a DOM: run the test in jsdom (or happy-dom) or a browser");
  return [...document.querySelectorAll("iframe")].filter((frame) => {
    let url: URL;
    try {
      url = new URL(frame.src);
    } catch {
      return false;
    }
    const ours = url.origin === host.origin && url.pathname === `/live/${sessionId}`;
    return ours && host.hasViewToken(sessionId, url.searchParams.get("token"));
  });
}

/** Posts a viewer message from each frame to its parent window, as `window.parent.postMessage(message, "*")` would. */
export function postFromViewers(frames: readonly HTMLIFrameElement[], type: LiveViewMessageType, sessionId: string) {
  for (const frame of frames) {
    const parent = frame.ownerDocument.defaultView;
    if (!parent) continue;
    const data = { source: LIVE_VIEW_MESSAGE_SOURCE, type, sessionId };
    const origin = new URL(frame.src).origin;
    parent.dispatchEvent(new parent.MessageEvent("message", { data, origin, source: frame.contentWindow }));
  }
}

/** The driver of one session's live views. */
export function liveViewDriver(host: LiveViewHost, id: string): FakeLiveView {
  // The session's frames; a test that drives a view nobody shows has a bug, so that throws.
  const framesOf = (session: FakeSessionInfo) => {
    const frames = viewerFrames(host, session.id);
    if (frames.length === 0) {
      throw new Error(`fake.liveView("${id}"): no <LiveView> iframe shows this session's live-view URL`);
    }
    return frames;
  };
  const post = (type: LiveViewMessageType) => {
    const session = host.find(id);
    postFromViewers(framesOf(session), type, session.id);
  };
  return {
    connect: () => {
      if (host.find(id).status === "destroyed") {
        throw new Error(`fake.liveView("${id}").connect(): the session ended, so its viewer can only end()`);
      }
      post("connected");
    },
    reconnecting: () => post("reconnecting"),
    disconnect: () => post("disconnected"),
    end: () => {
      const session = host.find(id);
      const frames = framesOf(session);
      // Ending a running session tells its viewers by itself (the fake posts "ended" for every session that ends).
      if (session.status === "active") host.end(session);
      else postFromViewers(frames, "ended", session.id);
    },
    frames: () => viewerFrames(host, host.find(id).id),
  };
}
