// The live-view page's script, run in the viewer's browser: draws the session's frames on a canvas, reconnects when
// the socket drops, reports its state to the embedding window and, when interactive, sends pointer and key input.
// Bundled into one inline script (see bundle.ts); it reads the session id from <html data-session-id>.
import {
  decodeLiveViewFrame,
  LIVE_VIEW_MESSAGE_SOURCE,
  type LiveViewInput,
  type LiveViewMessage,
  type LiveViewMessageType,
  type LiveViewMouseButton,
  type LiveViewMouseInput,
  parseLiveViewServerMessage,
} from "firecrawl-interact/spec";

const element = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The live-view page has no #${id}`);
  return found;
};

const canvas = element("screen", HTMLCanvasElement);
const note = element("note", HTMLDivElement);
const context = canvas.getContext("2d");
if (!context) throw new Error("The live-view page has no 2D canvas");
const ctx = context;
const root = document.documentElement;
const sessionId = root.dataset.sessionId ?? "";
const interactive = new URLSearchParams(location.search).get("interactive") === "true";

let frameW = 0;
let frameH = 0;
let bitmap: ImageBitmap | null = null;
let lastSeq = 0;
let frames = 0;
let socket: WebSocket | null = null;
let attempts = 0;
let connected = false;
let ended = false;
let lastPress = { t: 0, x: 0, y: 0, count: 0 };
root.dataset.interactive = String(interactive);
canvas.style.cursor = interactive ? "default" : "not-allowed";

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

// Where the frame sits on the canvas, in CSS pixels: scaled to fit, centred (letterboxed).
function box(): { s: number; x: number; y: number } {
  const cw = canvas.clientWidth;
  const ch = canvas.clientHeight;
  const s = frameW && frameH ? Math.min(cw / frameW, ch / frameH) : 1;
  return { s, x: (cw - frameW * s) / 2, y: (ch - frameH * s) / 2 };
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
  const b = box();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(bitmap, b.x, b.y, frameW * b.s, frameH * b.s);
}
new ResizeObserver(() => draw()).observe(canvas);

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
  frameW = header.width;
  frameH = header.height;
  root.dataset.frames = String(++frames);
  draw();
}

function end(reason: string): void {
  ended = true;
  bitmap?.close();
  bitmap = null;
  draw();
  const expired = reason === "expired" || reason === "idle";
  setState("ended", expired ? "Session expired" : "Session ended");
  post("ended");
}

function connect(): void {
  if (ended) return;
  // The page's own URL (query included, fragment not) is also its socket's.
  const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}${location.pathname}${location.search}`);
  socket = ws;
  ws.binaryType = "arraybuffer";
  ws.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data instanceof ArrayBuffer) {
      // A frame that fails to decode is skipped: the next one repaints the view.
      onFrame(event.data).catch(() => undefined);
      return;
    }
    const message = typeof event.data === "string" ? parseLiveViewServerMessage(event.data) : undefined;
    if (message?.type === "ready") {
      connected = true;
      attempts = 0;
      setState("live");
      post("connected");
    } else if (message?.type === "ended") {
      end(message.reason);
    }
  };
  ws.onclose = () => {
    socket = null;
    if (ended) return;
    if (connected) {
      connected = false;
      post("disconnected");
    }
    setState("disconnected", "Reconnecting…");
    window.setTimeout(connect, Math.min(5000, 250 * 2 ** attempts++));
  };
}

function send(message: LiveViewInput): void {
  if (interactive && connected && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

// Maps a pointer position to page CSS pixels; null outside the frame (on the letterbox bars).
function toPage(event: MouseEvent): { x: number; y: number } | null {
  const rect = canvas.getBoundingClientRect();
  const b = box();
  const x = (event.clientX - rect.left - b.x) / b.s;
  const y = (event.clientY - rect.top - b.y) / b.s;
  return x >= 0 && y >= 0 && x <= frameW && y <= frameH ? { x, y } : null;
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

const onKey = (action: "keyDown" | "keyUp") => (e: KeyboardEvent) => {
  // Leave Ctrl/Cmd+V to the browser so the paste event below carries the clipboard text.
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "v") return;
  e.preventDefault();
  const typed = e.key.length === 1 ? e.key : e.key === "Enter" ? "\r" : "";
  const text = action === "keyDown" && !e.ctrlKey && !e.metaKey ? typed : "";
  send({ type: "key", action, key: e.key, code: e.code, keyCode: e.keyCode, text, modifiers: mods(e) });
};

if (interactive) {
  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    canvas.focus();
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
        e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? frameH : 1;
      send({ type: "wheel", ...point, deltaX: e.deltaX * unit, deltaY: e.deltaY * unit, modifiers: mods(e) });
    },
    { passive: false },
  );
  canvas.addEventListener("keydown", onKey("keyDown"));
  canvas.addEventListener("keyup", onKey("keyUp"));
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
