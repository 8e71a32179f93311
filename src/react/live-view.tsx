"use client";

import { type CSSProperties, type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { SessionStatus } from "../client/index.js";
import { parseLiveViewMessage } from "../core/live-view-protocol.js";
import type { InteractSessionStatus } from "../core/session-controller.js";
import { checkLiveViewUrl, toInteractiveUrl } from "./live-view-url.js";

/**
 * What the live view shows; `reconnecting`: the page lost its socket and is getting it back (the session lives);
 * `disabled` is a session created with `streamWebView: false` (empty `liveViewUrl`).
 */
export type LiveViewState =
  | "idle"
  | "loading"
  | "live"
  | "reconnecting"
  | "disconnected"
  | "ended"
  | "error"
  | "disabled";

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

/** The sentence announced (and shown) for a state; `expired` is the ended state of a session that ran out. */
const TEXT: Record<LiveViewState | "expired", string> = {
  idle: "No live session",
  loading: "Connecting…",
  live: "Live view connected",
  reconnecting: "Reconnecting…",
  disconnected: "Live view disconnected",
  ended: "Session ended",
  expired: "Session expired",
  error: "Live view blocked: not an https or localhost URL",
  disabled: "Live view disabled",
};

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

/**
 * Shows a session's live view in a sandboxed iframe, with its connection state announced in an `aria-live`
 * region; only safe URLs are framed and only the view's own iframe and origin may post state messages.
 */
export const LiveView = (props: LiveViewProps) => {
  const { session, interactive, status, fallback } = props;
  const readOnly = session?.liveViewUrl?.trim();
  const url = interactive
    ? session?.interactiveLiveViewUrl?.trim() || (readOnly && toInteractiveUrl(readOnly))
    : readOnly;
  const check = checkLiveViewUrl(url);
  const expired = status === "expired";
  // [url it is about, state, whether the page itself said so (then the iframe's load event no longer decides)]
  const [connection, setConnection] = useState<[string, LiveViewState, boolean?]>();
  const state: LiveViewState =
    expired || status === "ended" || session?.status === "destroyed"
      ? "ended"
      : !session
        ? status === "creating"
          ? "loading"
          : "idle"
        : !url
          ? "disabled"
          : !check.ok
            ? "error"
            : connection?.[0] === check.url
              ? connection[1]
              : "loading";
  // Only a view still connecting or connected is framed (a safe URL's state is loading, live, reconnecting,
  // disconnected or ended).
  const src = check.ok && state !== "ended" ? check.url : null;
  const origin = check.ok && check.origin;
  const text =
    state === "live"
      ? `${TEXT.live} (${interactive ? "interactive" : "view only"})`
      : TEXT[expired ? "expired" : state];
  const frame = useRef<HTMLIFrameElement>(null);
  const uid = useId();
  const sessionId = session?.id;

  useEffect(() => {
    if (!src) return;
    const onMessage = (event: MessageEvent) => {
      // Both checks: another frame of the same origin (or a page spoofing it) must not drive our state.
      if (event.source !== frame.current?.contentWindow || event.origin !== origin) return;
      const message = parseLiveViewMessage(event.data);
      if (!message || (message.sessionId && sessionId && message.sessionId !== sessionId)) return;
      setConnection([src, message.type === "connected" ? "live" : message.type, true]);
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

  const overlay = state !== "live" && !(state === "idle" && fallback !== undefined);
  return (
    <div
      className={props.className}
      data-state={state}
      style={{
        position: "relative",
        width: "100%",
        aspectRatio: String(props.aspectRatio ?? "16 / 9"),
        overflow: "hidden",
        ...props.style,
      }}
    >
      {src && (
        <iframe
          // A new element per URL: changing an iframe's src would add entries to the parent's history.
          key={src}
          ref={frame}
          title={props.title ?? `Live browser view ${uid.replace(/\W/g, "")}`}
          src={src}
          sandbox={LIVE_VIEW_SANDBOX}
          referrerPolicy="no-referrer"
          allow={LIVE_VIEW_ALLOW}
          // Fallback for views that never post messages: a loaded page counts as live.
          onLoad={() => setConnection((current) => (current?.[0] === src && current[2] ? current : [src, "live"]))}
          style={{ ...FILL, width: "100%", height: "100%" }}
        />
      )}
      {overlay || state !== "idle" ? null : <div style={OVERLAY}>{fallback}</div>}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        // The live region doubles as the overlay: shown over the frame in every state but live.
        data-overlay={overlay ? state : undefined}
        // Over a frame it never takes the pointer: input goes to the view (live, loading, reconnecting…).
        style={{ ...(overlay ? OVERLAY : HIDDEN), pointerEvents: src ? "none" : undefined }}
      >
        {text}
      </div>
      {props.allowFullscreen && src && (
        <button
          type="button"
          aria-label="Full screen"
          style={{ position: "absolute", right: 8, bottom: 8 }}
          // The container goes full screen, so the overlay and button stay with the view.
          onClick={(event) => event.currentTarget.parentElement?.requestFullscreen?.().catch(() => {})}
        >
          {/* An SVG, not a glyph: symbol fonts are missing on many systems (headless Chromium showed a box). */}
          <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
            <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" />
          </svg>
        </button>
      )}
    </div>
  );
};
