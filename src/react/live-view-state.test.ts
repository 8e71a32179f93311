import { describe, expect, it } from "vitest";
import { type LiveViewConnection, type LiveViewDisplay, type LiveViewInput, liveViewState } from "./live-view-state.js";

const LIVE = "https://live.example.dev/view/s1?token=abc";
const INTERACTIVE = `${LIVE}&interactive=true`;
const ORIGIN = "https://live.example.dev";
const SESSION = { id: "s1", liveViewUrl: LIVE };

interface Row {
  name: string;
  input: LiveViewInput;
  connection?: LiveViewConnection;
  expected: LiveViewDisplay;
}

/** The display of a framed view in `state`, announced as `text`. */
const framed = (state: LiveViewDisplay["state"], text: string, src = LIVE): LiveViewDisplay => ({
  state,
  src,
  origin: ORIGIN,
  text,
  overlay: state !== "live",
});

/** The display of a URL that may not be framed. */
const REFUSED: LiveViewDisplay = {
  state: "error",
  src: null,
  origin: undefined,
  text: "Live view blocked: not an https or localhost URL",
  overlay: true,
};

const rows: Row[] = [
  {
    name: "no session",
    input: { session: null },
    expected: { state: "idle", src: null, origin: undefined, text: "No live session", overlay: true },
  },
  {
    name: "no session with a fallback: the fallback replaces the overlay",
    input: { session: undefined, fallback: "Start a browser" },
    expected: { state: "idle", src: null, origin: undefined, text: "No live session", overlay: false },
  },
  {
    name: "no session while creating",
    input: { session: null, status: "creating", fallback: "Start a browser" },
    expected: { state: "loading", src: null, origin: undefined, text: "Connecting…", overlay: true },
  },
  {
    name: "a safe URL nothing reported on yet",
    input: { session: SESSION },
    expected: framed("loading", "Connecting…"),
  },
  {
    name: "a safe URL whose page said connected",
    input: { session: SESSION, status: "live" },
    connection: { url: LIVE, state: "live" },
    expected: framed("live", "Live view connected (view only)"),
  },
  {
    name: "the interactive view of the same session",
    input: { session: SESSION, interactive: true },
    connection: { url: INTERACTIVE, state: "live" },
    expected: framed("live", "Live view connected (interactive)", INTERACTIVE),
  },
  {
    name: "a report about another URL no longer counts",
    input: { session: SESSION },
    connection: { url: `${LIVE}&v=2`, state: "disconnected" },
    expected: framed("loading", "Connecting…"),
  },
  {
    name: "reconnecting keeps the frame under the overlay",
    input: { session: SESSION },
    connection: { url: LIVE, state: "reconnecting" },
    expected: framed("reconnecting", "Reconnecting…"),
  },
  {
    name: "disconnected keeps the frame under the overlay",
    input: { session: SESSION },
    connection: { url: LIVE, state: "disconnected" },
    expected: framed("disconnected", "Live view disconnected"),
  },
  {
    name: "the page said ended: no frame",
    input: { session: SESSION },
    connection: { url: LIVE, state: "ended" },
    expected: { ...framed("ended", "Session ended"), src: null },
  },
  {
    name: "status ended wins over a live page",
    input: { session: SESSION, status: "ended" },
    connection: { url: LIVE, state: "live" },
    expected: { ...framed("ended", "Session ended"), src: null },
  },
  {
    name: "status expired is the ended state, announced as expired",
    input: { session: SESSION, status: "expired" },
    expected: { ...framed("ended", "Session expired"), src: null },
  },
  {
    name: "a destroyed list entry",
    input: { session: { ...SESSION, status: "destroyed" } },
    expected: { ...framed("ended", "Session ended"), src: null },
  },
  {
    name: "an empty or blank liveViewUrl (streamWebView: false)",
    input: { session: { id: "s2", liveViewUrl: "  " } },
    expected: { state: "disabled", src: null, origin: undefined, text: "Live view disabled", overlay: true },
  },
  {
    name: "an unsafe URL",
    input: { session: { id: "s3", liveViewUrl: "javascript:alert(1)" } },
    expected: REFUSED,
  },
  {
    name: "an unsafe interactive URL even when the read-only one is safe",
    input: { session: { ...SESSION, interactiveLiveViewUrl: "http://evil.com/live" }, interactive: true },
    expected: REFUSED,
  },
  {
    name: "the session's own interactive URL, trimmed, wins over the derived one",
    input: { session: { ...SESSION, interactiveLiveViewUrl: ` ${LIVE}&mode=own ` }, interactive: true },
    expected: framed("loading", "Connecting…", `${LIVE}&mode=own`),
  },
  {
    name: "a blank interactive URL falls back to the read-only one with interactive=true",
    input: { session: { ...SESSION, interactiveLiveViewUrl: " " }, interactive: true },
    expected: framed("loading", "Connecting…", INTERACTIVE),
  },
  {
    name: "the emulator's localhost URL",
    input: { session: { id: "s4", liveViewUrl: "http://127.0.0.1:3002/live/s4" } },
    expected: {
      state: "loading",
      src: "http://127.0.0.1:3002/live/s4",
      origin: "http://127.0.0.1:3002",
      text: "Connecting…",
      overlay: true,
    },
  },
];

describe("liveViewState", () => {
  for (const { name, input, connection, expected } of rows) {
    it(name, () => {
      expect(liveViewState(input, connection)).toEqual(expected);
    });
  }
});
