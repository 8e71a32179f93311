"use client";

import { type CSSProperties, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { parseLiveViewMessage } from "../core/live-view-protocol.js";
import type { LiveViewSession } from "../core/live-view-session.js";
import type { InteractSessionStatus } from "../core/session-controller.js";
import { type LiveViewConnection, type LiveViewState, liveViewState } from "./live-view-state.js";

export type { LiveViewSession } from "../core/live-view-session.js";
export type { LiveViewState } from "./live-view-state.js";

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

/** The container's style before its aspect ratio (the properties keep their order in the `style` attribute). */
const BOX: CSSProperties = { position: "relative", width: "100%" };
const FILL: CSSProperties = { position: "absolute", inset: 0, border: 0 };
const OVERLAY: CSSProperties = {
  ...FILL,
  display: "grid",
  placeItems: "center",
  textAlign: "center",
  padding: "1rem",
  background: "#0b0b0fe0",
};
/** Visually hidden but still read: clipped to nothing, so it neither shows nor takes clicks. */
const HIDDEN: CSSProperties = { ...FILL, clip: "rect(0 0 0 0)" };

/** Puts the container in full screen, so the overlay and button stay with the view; the same element every time. */
const FULLSCREEN_BUTTON = (
  <button
    type="button"
    aria-label="Full screen"
    style={{ position: "absolute", right: 8, bottom: 8 }}
    onClick={(event) => event.currentTarget.parentElement?.requestFullscreen?.().catch(() => {})}
  >
    {/* An SVG, not a glyph: symbol fonts are missing on many systems (headless Chromium showed a box). */}
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" />
    </svg>
  </button>
);

/**
 * Shows a session's live view in a sandboxed iframe, with its connection state announced in an `aria-live`
 * region; only safe URLs are framed and only the view's own iframe and origin may post state messages (another frame
 * of the same origin, or a page spoofing it, must not drive our state). The iframe is a new element per URL (changing
 * an iframe's `src` would add entries to the parent's history), and a view that never posts messages counts as live
 * once loaded. The live region doubles as the overlay, shown over the frame in every state but live; over a frame it
 * never takes the pointer, so input goes to the view.
 */
export const LiveView = (props: LiveViewProps) => {
  const [connection, setConnection] = useState<LiveViewConnection>();
  const { state, src, origin, text, overlay } = liveViewState(props, connection);
  const frame = useRef<HTMLIFrameElement>(null);
  const sessionId = props.session?.id;
  const uid = useId();
  useEffect(() => {
    if (!src) return;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.current?.contentWindow || event.origin !== origin) return;
      const message = parseLiveViewMessage(event.data);
      if (!message || (message.sessionId && sessionId && message.sessionId !== sessionId)) return;
      setConnection({ url: src, state: message.type === "connected" ? "live" : message.type });
    };
    addEventListener("message", onMessage);
    return () => removeEventListener("message", onMessage);
  }, [src, origin, sessionId]);
  // Every change reported once (StrictMode's repeated effects included), to the latest callback.
  const reported = useRef<LiveViewState>(undefined);
  useEffect(() => {
    if (reported.current === state) return;
    reported.current = state;
    props.onStateChange?.(state);
  });
  return (
    <div
      className={props.className}
      data-state={state}
      style={{ ...BOX, aspectRatio: props.aspectRatio ?? "16 / 9", overflow: "hidden", ...props.style }}
    >
      {src && (
        <iframe
          key={src}
          ref={frame}
          title={props.title ?? `Live browser view ${uid.replace(/\W/g, "")}`}
          src={src}
          sandbox={LIVE_VIEW_SANDBOX}
          referrerPolicy="no-referrer"
          allow={LIVE_VIEW_ALLOW}
          onLoad={() => setConnection((last) => (last?.url === src ? last : { url: src, state: "live" }))}
          style={{ ...FILL, width: "100%", height: "100%" }}
        />
      )}
      {!overlay && state === "idle" && <div style={OVERLAY}>{props.fallback}</div>}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-overlay={overlay ? state : undefined}
        style={{ ...(overlay ? OVERLAY : HIDDEN), pointerEvents: src ? "none" : undefined }}
      >
        {text}
      </div>
      {props.allowFullscreen && src && FULLSCREEN_BUTTON}
    </div>
  );
};
