import type { SessionStatus } from "./types.js";

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
