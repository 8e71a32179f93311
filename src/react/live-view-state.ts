import type { LiveViewSession } from "../core/live-view-session.js";
import type { InteractSessionStatus } from "../core/session-controller.js";
import { frameableUrl } from "./live-view-url.js";

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

/**
 * What the view last reported about one URL: a message of its page, or else its iframe's load event (a loaded page
 * counts as live until the page itself says otherwise). A report about another URL no longer counts.
 */
export interface LiveViewConnection {
  /** The framed URL the report is about. */
  readonly url: string;
  /** The state it reported. */
  readonly state: LiveViewState;
}

/** The props {@link liveViewState} reads (`<LiveView>`'s props fit). */
export interface LiveViewInput {
  /** The session to show; `null` shows the idle state. */
  readonly session: LiveViewSession | null | undefined;
  /** Show the interactive view instead of the read-only one. */
  readonly interactive?: boolean | undefined;
  /** Lifecycle status: `ended`/`expired` show the overlay, `creating` shows loading. */
  readonly status?: InteractSessionStatus | undefined;
  /** Shown instead of the idle text when there is no session; only whether it is given matters here. */
  readonly fallback?: unknown;
}

/** Everything `<LiveView>` renders from its props and the view's last report. */
export interface LiveViewDisplay {
  /** The state announced, reported and set as `data-state`. */
  readonly state: LiveViewState;
  /** The URL to frame, `null` when nothing is framed (no session, unsafe URL, ended). */
  readonly src: string | null;
  /** The only origin whose messages count, `undefined` when the URL is unsafe. */
  readonly origin: string | undefined;
  /** The sentence announced in the live region (and shown in the overlay). */
  readonly text: string;
  /** True when the live region shows as an overlay: in every state but live, and idle only without a fallback. */
  readonly overlay: boolean;
}

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

/** Derives what `<LiveView>` shows from its props and the view's last report; pure, so every case is a table row. */
export const liveViewState = (input: LiveViewInput, connection?: LiveViewConnection): LiveViewDisplay => {
  const { session, interactive, status } = input;
  const own = interactive && session?.interactiveLiveViewUrl?.trim();
  const url = own || session?.liveViewUrl?.trim();
  const frame = frameableUrl(url);
  // Without its own interactive URL, the interactive view is the read-only one with `interactive=true`.
  if (interactive && !own) frame?.searchParams.set("interactive", "true");
  const expired = status === "expired";
  // The session's end wins, then what is missing, then what the view last said about this URL.
  let state: LiveViewState = "loading";
  if (expired || status === "ended" || session?.status === "destroyed") state = "ended";
  else if (!session) state = status === "creating" ? "loading" : "idle";
  else if (!url) state = "disabled";
  else if (!frame) state = "error";
  else if (connection?.url === frame.href) state = connection.state;
  return {
    state,
    // Only a view still connecting or connected is framed.
    src: frame && state !== "ended" ? frame.href : null,
    origin: frame?.origin,
    text:
      state === "live"
        ? `${TEXT.live} (${interactive ? "interactive" : "view only"})`
        : TEXT[expired ? "expired" : state],
    overlay: state !== "live" && !(state === "idle" && input.fallback !== undefined),
  };
};
