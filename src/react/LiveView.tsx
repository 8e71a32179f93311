import { type CSSProperties, type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import type { SessionStatus } from "../client/index.js";
import { type LiveViewMessageType, parseLiveViewMessage } from "./liveViewMessages.js";
import { checkLiveViewUrl, toInteractiveUrl } from "./liveViewUrl.js";
import type { InteractSessionStatus } from "./sessionController.js";

/** What the live view shows; `disabled` is a session created with `streamWebView: false` (empty `liveViewUrl`). */
export type LiveViewState = "idle" | "loading" | "live" | "disconnected" | "ended" | "error" | "disabled";

/** The fields `<LiveView>` reads: a create response and a list entry both fit. */
export interface LiveViewSession {
  /** Session id, matched against the `sessionId` of the page's messages. */
  id?: string | undefined;
  /** Read-only live-view URL; empty or absent when the session streams no view. */
  liveViewUrl?: string | undefined;
  /** Interactive live-view URL; derived from `liveViewUrl` + `interactive=true` when absent. */
  interactiveLiveViewUrl?: string | undefined;
  /** A list entry's status; `destroyed` shows the ended overlay. */
  status?: SessionStatus | undefined;
}

/** Props of {@link LiveView}. */
export interface LiveViewProps {
  /** The session to show (create response or list entry); `null` shows the idle state. */
  session: LiveViewSession | null | undefined;
  /** Show the interactive view (forwards input) instead of the read-only one; switching keeps the same session. */
  interactive?: boolean;
  /** Lifecycle status from `useInteractSession`: `ended`/`expired` show the overlay, `creating` shows loading. */
  status?: InteractSessionStatus;
  /** Accessible iframe title; by default a unique one built with `useId`. Used verbatim when given. */
  title?: string;
  /** Class of the outer container. */
  className?: string;
  /** Style of the outer container, merged over the defaults. */
  style?: CSSProperties;
  /** Width / height of the view, kept while resizing (CSS `aspect-ratio`). Default `16 / 9`. */
  aspectRatio?: number | string;
  /** Show a button that puts the container in full screen. */
  allowFullscreen?: boolean;
  /** Called with every new state, once per change. */
  onStateChange?: (state: LiveViewState) => void;
  /** Shown instead of the idle text when there is no session. */
  fallback?: ReactNode;
}

/** The iframe's sandbox: the view needs scripts and its own origin (for its WebSocket), nothing more. */
export const LIVE_VIEW_SANDBOX = "allow-scripts allow-same-origin";
/** The iframe's permissions policy: copy/paste and full screen. */
export const LIVE_VIEW_ALLOW = "clipboard-read; clipboard-write; fullscreen";

type ConnectionState = "loading" | "live" | "disconnected" | "ended";
interface Connection {
  src: string;
  state: ConnectionState;
  /** The page has spoken, so the iframe's `load` event no longer decides anything. */
  fromPage: boolean;
}
type ResolvedView =
  | { kind: "state"; state: LiveViewState; expired: boolean }
  | { kind: "frame"; src: string; origin: string };

const FROM_MESSAGE: Record<LiveViewMessageType, ConnectionState> = {
  connected: "live",
  disconnected: "disconnected",
  ended: "ended",
};

/** Decides from the props alone whether there is something to frame, and if not, which state to show. */
function resolveView(
  session: LiveViewSession | null,
  interactive: boolean,
  status: InteractSessionStatus | undefined,
): ResolvedView {
  if (status === "expired") return { kind: "state", state: "ended", expired: true };
  if (status === "ended" || session?.status === "destroyed") return { kind: "state", state: "ended", expired: false };
  if (!session) return { kind: "state", state: status === "creating" ? "loading" : "idle", expired: false };
  const readOnly = session.liveViewUrl?.trim() ?? "";
  const url = interactive
    ? session.interactiveLiveViewUrl?.trim() || (readOnly && toInteractiveUrl(readOnly))
    : readOnly;
  if (!url) return { kind: "state", state: "disabled", expired: false };
  const check = checkLiveViewUrl(url);
  if (!check.ok) return { kind: "state", state: "error", expired: false };
  return { kind: "frame", src: check.url, origin: check.origin };
}

/** The sentence announced (and shown) for a state. */
function describe(state: LiveViewState, expired: boolean, interactive: boolean): string {
  switch (state) {
    case "idle":
      return "No live session";
    case "loading":
      return "Connecting to the live view…";
    case "live":
      return interactive ? "Live view connected (interactive)" : "Live view connected (view only)";
    case "disconnected":
      return "Live view disconnected";
    case "ended":
      return expired ? "Session expired" : "Session ended";
    case "error":
      return "Live view blocked: its URL is not an allowed https or localhost address";
    case "disabled":
      return "Live view disabled for this session";
  }
}

const FRAME_STYLE: CSSProperties = {
  position: "absolute",
  inset: 0,
  width: "100%",
  height: "100%",
  border: 0,
};
const OVERLAY_STYLE: CSSProperties = {
  position: "absolute",
  inset: 0,
  display: "flex",
  alignItems: "center",
  justifyContent: "center",
  textAlign: "center",
  padding: "1rem",
  background: "rgba(11, 11, 15, 0.88)",
};
const VISUALLY_HIDDEN: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
};
const BUTTON_STYLE: CSSProperties = { position: "absolute", right: 8, bottom: 8 };

/**
 * Shows a session's live view in a sandboxed iframe, with its connection state announced in an `aria-live`
 * region; only safe URLs are framed and only the view's own iframe and origin may post state messages.
 */
export function LiveView(props: LiveViewProps) {
  const { session, interactive = false, status, title, className, style, allowFullscreen = false, fallback } = props;
  const view = resolveView(session ?? null, interactive, status);
  const src = view.kind === "frame" ? view.src : null;
  const origin = view.kind === "frame" ? view.origin : null;
  const sessionId = session?.id;
  const [connection, setConnection] = useState<Connection | null>(null);
  const state: LiveViewState =
    view.kind === "state" ? view.state : connection?.src === src ? connection.state : "loading";
  const showFrame = src !== null && (state === "loading" || state === "live" || state === "disconnected");
  const text = describe(state, view.kind === "state" && view.expired, interactive);

  const frameRef = useRef<HTMLIFrameElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const uid = useId();
  const frameTitle = title ?? `Live browser view ${uid.replace(/[^A-Za-z0-9]/g, "")}`;

  useEffect(() => {
    if (src === null || origin === null) return;
    const onMessage = (event: MessageEvent) => {
      const frame = frameRef.current;
      // Both checks: another frame of the same origin (or a page spoofing it) must not drive our state.
      if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
      const message = parseLiveViewMessage(event.data);
      if (!message) return;
      if (message.sessionId !== undefined && sessionId !== undefined && message.sessionId !== sessionId) return;
      setConnection({ src, state: FROM_MESSAGE[message.type], fromPage: true });
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [src, origin, sessionId]);

  // Fallback for views that never post messages: a loaded page counts as live.
  const onLoad = () => {
    if (src === null) return;
    setConnection((current) =>
      current?.src === src && current.fromPage ? current : { src, state: "live", fromPage: false },
    );
  };

  const onStateChange = useRef(props.onStateChange);
  useLayoutEffect(() => {
    onStateChange.current = props.onStateChange;
  });
  const reported = useRef<LiveViewState | null>(null);
  useEffect(() => {
    if (reported.current === state) return;
    reported.current = state;
    onStateChange.current?.(state);
  }, [state]);

  const ratio = typeof props.aspectRatio === "number" ? String(props.aspectRatio) : (props.aspectRatio ?? "16 / 9");
  const passThrough = state === "loading" || state === "disconnected";
  return (
    <div
      ref={containerRef}
      className={className}
      data-state={state}
      style={{ position: "relative", width: "100%", aspectRatio: ratio, overflow: "hidden", ...style }}
    >
      {showFrame ? (
        <iframe
          // A new element per URL: changing an iframe's src would add entries to the parent's history.
          key={src}
          ref={frameRef}
          title={frameTitle}
          src={src}
          sandbox={LIVE_VIEW_SANDBOX}
          referrerPolicy="no-referrer"
          allow={LIVE_VIEW_ALLOW}
          onLoad={onLoad}
          style={FRAME_STYLE}
        />
      ) : null}
      {state === "idle" && fallback !== undefined ? (
        <div style={OVERLAY_STYLE}>{fallback}</div>
      ) : state !== "live" ? (
        <div
          aria-hidden="true"
          data-overlay={state}
          style={{ ...OVERLAY_STYLE, pointerEvents: passThrough ? "none" : "auto" }}
        >
          {text}
        </div>
      ) : null}
      <div role="status" aria-live="polite" aria-atomic="true" style={VISUALLY_HIDDEN}>
        {text}
      </div>
      {allowFullscreen && showFrame ? (
        <button
          type="button"
          aria-label="Full screen"
          style={BUTTON_STYLE}
          onClick={() => {
            containerRef.current?.requestFullscreen?.().catch(() => {
              // Refused (e.g. not triggered by the user's gesture): the view stays inline.
            });
          }}
        >
          ⛶
        </button>
      ) : null}
    </div>
  );
}
