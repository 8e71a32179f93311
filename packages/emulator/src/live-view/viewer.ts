// The live-view page's script, run in the viewer's browser: draws the session's frames on a canvas, tells the server
// its size and whether it can be seen (so the stream is sized to it and paused while hidden), reconnects when the
// socket drops, reports its state to the embedding window and, when interactive, sends pointer and key input.
// Bundled into one inline script (see bundle.ts); it reads the session id from <html data-session-id>.
import {
  decodeLiveViewFrame,
  LIVE_VIEW_DPR,
  LIVE_VIEW_MESSAGE_SOURCE,
  type LiveViewInput,
  type LiveViewMessage,
  type LiveViewMessageType,
  type LiveViewMouseButton,
  type LiveViewMouseInput,
  type LiveViewViewerMessage,
  type LiveViewViewportMessage,
  MAX_LIVE_VIEW_SIZE,
  parseLiveViewServerMessage,
} from "firecrawl-interact/core";
import { boxToPage, type FrameGeometry, fitFrame } from "./input.js";

const element = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The live-view page has no #${id}`);
  return found;
};

/** A size change is reported once it has settled this long (a drag-resize sends one message, not hundreds). */
const RESIZE_DEBOUNCE_MS = 150;
/** Reconnect delays double from this… */
const RETRY_BASE_MS = 250;
/** …up to this. */
const RETRY_MAX_MS = 5000;
/** Attempts in a row with the server unreachable (no HTTP answer at all) before the page stops trying on its own. */
const MAX_UNREACHABLE = 12;

const canvas = element("screen", HTMLCanvasElement);
const note = element("note", HTMLDivElement);
const context = canvas.getContext("2d");
if (!context) throw new Error("The live-view page has no 2D canvas");
const ctx = context;
const root = document.documentElement;
const sessionId = root.dataset.sessionId ?? "";
const interactive = new URLSearchParams(location.search).get("interactive") === "true";
// Whether the server takes this page's input: its token decides, whatever the URL's query says (from "ready").
let granted = false;

/** The page area of the frame on screen, from its header; sizes are page CSS pixels, whatever the JPEG's size. */
let frame: FrameGeometry = { width: 0, height: 0 };
let bitmap: ImageBitmap | null = null;
let lastSeq = 0;
let frames = 0;
let socket: WebSocket | null = null;
let attempts = 0;
let unreachable = 0;
let retryTimer = 0;
let gaveUp = false;
let connected = false;
let ended = false;
let lastPress = { t: 0, x: 0, y: 0, count: 0 };
function showInteractive(on: boolean): void {
  root.dataset.interactive = String(on);
  canvas.style.cursor = on ? "default" : "not-allowed";
}
showInteractive(interactive);

function post(type: LiveViewMessageType): void {
  if (window.parent === window) return;
  const message: LiveViewMessage = { source: LIVE_VIEW_MESSAGE_SOURCE, type, sessionId };
  try {
    window.parent.postMessage(message, "*");
  } catch {
    // A parent that cannot be reached has nobody to tell.
  }
}

function setState(state: string, text = ""): void {
  root.dataset.state = state;
  note.textContent = text;
  note.hidden = !text;
}

function draw(): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr);
  const h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#111";
  ctx.fillRect(0, 0, w, h);
  if (!bitmap) return;
  // Scaled to fit, centred (letterboxed): the same fit the pointer mapping uses.
  const fit = fitFrame(canvas.clientWidth, canvas.clientHeight, frame);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(bitmap, fit.left, fit.top, frame.width * fit.scale, frame.height * fit.scale);
}

// What the server was last told, so each change is sent once; a new socket starts from the server's defaults.
let sentViewport = "";
let sentVisible = true;
let onScreen = true;
let resizeTimer = 0;

function sendControl(message: LiveViewViewerMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** The canvas's CSS size and DPR, within the protocol's bounds; null while it has no size (display: none). */
function viewport(): LiveViewViewportMessage | null {
  const width = Math.min(MAX_LIVE_VIEW_SIZE, Math.round(canvas.clientWidth));
  const height = Math.min(MAX_LIVE_VIEW_SIZE, Math.round(canvas.clientHeight));
  const dpr = Math.min(LIVE_VIEW_DPR.max, Math.max(LIVE_VIEW_DPR.min, window.devicePixelRatio || 1));
  return width > 0 && height > 0 ? { type: "viewport", width, height, dpr } : null;
}

/** Seen: the document is visible, the canvas intersects the viewport (the embedding iframe's included) and has a size. */
const isVisible = (): boolean => !document.hidden && onScreen && viewport() !== null;

/** Tells the server the current size and visibility, whatever changed since it was last told. */
function report(): void {
  clearTimeout(resizeTimer);
  resizeTimer = 0;
  const visible = isVisible();
  root.dataset.visible = String(visible);
  if (socket?.readyState !== WebSocket.OPEN) return;
  const view = viewport();
  const key = view ? `${view.width}x${view.height}@${view.dpr}` : "";
  // Size first: a resume after a resize then restarts the stream once, at the new size.
  if (view && key !== sentViewport) {
    sentViewport = key;
    sendControl(view);
  }
  if (visible !== sentVisible) {
    sentVisible = visible;
    sendControl({ type: "visibility", visible });
  }
}

const reportSoon = (): void => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(report, RESIZE_DEBOUNCE_MS);
};

new ResizeObserver(() => {
  draw();
  // A size of zero hides the view: that pauses at once, other sizes wait until the resize settles.
  if (isVisible() === sentVisible) reportSoon();
  else report();
}).observe(canvas);
new IntersectionObserver((entries) => {
  onScreen = entries[entries.length - 1]?.isIntersecting ?? onScreen;
  report();
}).observe(canvas);
document.addEventListener("visibilitychange", () => {
  report();
  if (!document.hidden) wake();
});
// A DPR change (zoom, another screen) resizes nothing: watch it with a media query, re-armed at each change.
const watchDpr = (): void =>
  matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`).addEventListener(
    "change",
    () => {
      draw();
      reportSoon();
      watchDpr();
    },
    { once: true },
  );
watchDpr();

async function onFrame(data: ArrayBuffer): Promise<void> {
  const { header, jpeg } = decodeLiveViewFrame(data);
  const image = await createImageBitmap(new Blob([jpeg], { type: "image/jpeg" }));
  // Decoding is async, so a newer frame or the end may have arrived meanwhile.
  if (ended || header.seq < lastSeq) {
    image.close();
    return;
  }
  lastSeq = header.seq;
  bitmap?.close();
  bitmap = image;
  frame = { width: header.width, height: header.height, offsetTop: header.offsetTop ?? 0 };
  root.dataset.frames = String(++frames);
  root.dataset.frameSize = `${image.width}x${image.height}`;
  draw();
}

function end(reason: string): void {
  ended = true;
  clearTimeout(retryTimer);
  bitmap?.close();
  bitmap = null;
  draw();
  const expired = reason === "expired" || reason === "idle";
  setState("ended", expired ? "Session expired" : "Session ended");
  post("ended");
}

function connect(): void {
  if (ended) return;
  clearTimeout(retryTimer);
  retryTimer = 0;
  gaveUp = false;
  // The page's own URL (query included, fragment not) is also its socket's, with the view's size added so the
  // first frame already fits.
  const url = new URL(location.href);
  url.protocol = url.protocol.replace(/^http/, "ws");
  url.hash = "";
  const view = viewport();
  if (view) {
    url.searchParams.set("w", String(view.width));
    url.searchParams.set("h", String(view.height));
    url.searchParams.set("dpr", String(view.dpr));
  }
  const ws = new WebSocket(url.href);
  socket = ws;
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    // A new viewer is full size and visible to the server until it says otherwise.
    sentViewport = "";
    sentVisible = true;
    report();
  };
  ws.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data instanceof ArrayBuffer) {
      // A frame that fails to decode is skipped: the next one repaints the view.
      onFrame(event.data).catch(() => undefined);
      return;
    }
    const message = typeof event.data === "string" ? parseLiveViewServerMessage(event.data) : undefined;
    if (message?.type === "ready") {
      granted = message.interactive;
      showInteractive(interactive && granted);
      connected = true;
      attempts = 0;
      unreachable = 0;
      setState("live");
      post("connected");
    } else if (message?.type === "ended") {
      end(message.reason);
    }
  };
  ws.onclose = (event) => {
    if (socket === ws) socket = null;
    connected = false;
    if (ended) return;
    // 4410: the server closed the view because the session ended ("ended" normally came first).
    if (event.code === 4410) {
      end(event.reason);
      return;
    }
    if (root.dataset.state !== "reconnecting") {
      setState("reconnecting", "Reconnecting…");
      post("reconnecting");
    }
    void retry();
  };
}

/**
 * After a drop: asks the page's own URL whether the session still exists (a WebSocket refused with 404 looks like
 * any network error from here), ends on 403/404/410, else tries again after a doubling delay capped at
 * RETRY_MAX_MS. It stops by itself only when the server has not answered at all MAX_UNREACHABLE times in a row;
 * then a click on the note, the network coming back, or the tab becoming visible tries again.
 */
async function retry(): Promise<void> {
  let status = 0;
  try {
    status = (await fetch(location.href, { method: "HEAD", cache: "no-store", credentials: "omit" })).status;
  } catch {
    // No answer: the server is down or the network is.
  }
  if (ended) return;
  if (status === 403 || status === 404 || status === 410) {
    end("deleted");
    return;
  }
  unreachable = status ? 0 : unreachable + 1;
  if (unreachable > MAX_UNREACHABLE) {
    gaveUp = true;
    setState("disconnected", "Live view disconnected. Click to reconnect.");
    post("disconnected");
    return;
  }
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts++);
  // Jittered, so many viewers of one emulator do not come back in lockstep.
  retryTimer = window.setTimeout(connect, delay * (0.75 + Math.random() / 2));
}

/** Tries again now: after giving up, or instead of waiting out a backoff delay. */
function wake(): void {
  if (ended || !(gaveUp || retryTimer)) return;
  attempts = 0;
  unreachable = 0;
  if (gaveUp) {
    setState("reconnecting", "Reconnecting…");
    post("reconnecting");
  }
  connect();
}
note.addEventListener("click", wake);
window.addEventListener("online", wake);

function send(message: LiveViewInput): void {
  if (granted && connected && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

// Maps a pointer position to page CSS pixels; null outside the frame (on the letterbox bars).
function toPage(event: MouseEvent): { x: number; y: number } | null {
  const rect = canvas.getBoundingClientRect();
  return boxToPage(event.clientX - rect.left, event.clientY - rect.top, canvas.clientWidth, canvas.clientHeight, frame);
}

const mods = (e: MouseEvent | KeyboardEvent): number =>
  (e.altKey ? 1 : 0) | (e.ctrlKey ? 2 : 0) | (e.metaKey ? 4 : 0) | (e.shiftKey ? 8 : 0);
// Indexed by MouseEvent.button.
const BUTTONS: readonly LiveViewMouseButton[] = ["left", "middle", "right", "back", "forward"];
const pressedButton = (e: MouseEvent): LiveViewMouseButton => BUTTONS[e.button] ?? "left";
const heldButton = (b: number): LiveViewMouseButton => (b & 1 ? "left" : b & 2 ? "right" : b & 4 ? "middle" : "none");

function mouse(
  action: LiveViewMouseInput["action"],
  event: MouseEvent,
  button: LiveViewMouseButton,
  clickCount: number,
) {
  const point = toPage(event);
  if (!point) return;
  send({ type: "mouse", action, ...point, button, buttons: event.buttons, clickCount, modifiers: mods(event) });
}

// Keyboard focus sits in a hidden <textarea> (a canvas gets no composition or beforeinput events). Keys that type one
// character, and every non-text key or shortcut, go out as key events, their default prevented so nothing reaches
// the textarea; text that comes otherwise (IME composition, dead keys, emoji pickers, on-screen keyboards,
// insertText) lands in the textarea and is sent from there as one `text` message once committed, then cleared.
const keys = document.createElement("textarea");
keys.id = "keys";
keys.setAttribute("aria-label", "Keyboard input for the remote browser");
for (const name of ["autocomplete", "autocorrect", "autocapitalize"]) keys.setAttribute(name, "off");
keys.spellcheck = false;
let composing = false;
// Codes whose keyDown went out, so a keyUp is sent only for those (not for keys an IME or the browser consumed).
const down = new Set<string>();

/** Sends what the textarea holds, once, and empties it. */
function flush(): void {
  const text = keys.value;
  keys.value = "";
  if (text) send({ type: "text", text });
}

const onKey = (action: "keyDown" | "keyUp") => (e: KeyboardEvent) => {
  // Mid-composition (229 also marks the key that starts one, and dead keys): the IME's text comes as input.
  if (e.isComposing || composing || e.keyCode === 229 || e.key === "Dead") return;
  // AltGr reads as Ctrl+Alt on Windows, yet types text.
  const shortcut = (e.ctrlKey || e.metaKey) && !e.getModifierState("AltGraph");
  // Leave Ctrl/Cmd+V to the browser so the paste event below carries the clipboard text.
  if (shortcut && e.key.toLowerCase() === "v") return;
  if (action === "keyDown") down.add(e.code);
  else if (!down.delete(e.code)) return;
  e.preventDefault();
  // One code point is text (an emoji is two UTF-16 units); named keys (Shift, ArrowLeft…) carry none.
  const typed = [...e.key].length === 1 ? e.key : e.key === "Enter" ? "\r" : "";
  const text = action === "keyDown" && !shortcut ? typed : "";
  send({ type: "key", action, key: e.key, code: e.code, keyCode: e.keyCode, text, modifiers: mods(e) });
};

if (interactive) {
  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    // The textarea moves to the pointer, so an IME's candidate window opens where the person clicked.
    keys.style.left = `${e.clientX}px`;
    keys.style.top = `${e.clientY}px`;
    keys.focus({ preventScroll: true });
    canvas.setPointerCapture(e.pointerId);
    const near = Math.abs(e.clientX - lastPress.x) < 5 && Math.abs(e.clientY - lastPress.y) < 5;
    const count = near && e.timeStamp - lastPress.t < 500 ? Math.min(3, lastPress.count + 1) : 1;
    lastPress = { t: e.timeStamp, x: e.clientX, y: e.clientY, count };
    mouse("mousePressed", e, pressedButton(e), count);
  });
  canvas.addEventListener("pointerup", (e) => mouse("mouseReleased", e, pressedButton(e), lastPress.count));
  canvas.addEventListener("pointermove", (e) => mouse("mouseMoved", e, heldButton(e.buttons), 0));
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  canvas.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const point = toPage(e);
      if (!point) return;
      // Line and page deltas become CSS pixels, as CDP expects.
      const unit =
        e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? frame.height : 1;
      send({ type: "wheel", ...point, deltaX: e.deltaX * unit, deltaY: e.deltaY * unit, modifiers: mods(e) });
    },
    { passive: false },
  );
  document.body.append(keys);
  canvas.addEventListener("focus", () => keys.focus({ preventScroll: true }));
  keys.addEventListener("keydown", onKey("keyDown"));
  keys.addEventListener("keyup", onKey("keyUp"));
  keys.addEventListener("compositionstart", () => {
    composing = true;
  });
  // Committed: sent here, or by the input event that follows where a browser updates the value after this.
  keys.addEventListener("compositionend", () => {
    composing = false;
    flush();
  });
  keys.addEventListener("input", (e) => {
    if (!composing && !(e as InputEvent).isComposing) flush();
  });
  document.addEventListener("paste", (e) => {
    const text = e.clipboardData?.getData("text/plain");
    if (text) {
      e.preventDefault();
      send({ type: "text", text });
    }
  });
}
setState("connecting", "Connecting…");
connect();
