/** The `source` field of every message the live-view page posts to its parent window. */
export const LIVE_VIEW_MESSAGE_SOURCE = "firecrawl-interact";

/** A message the live-view page posts to `window.parent`: `{ source: "firecrawl-interact", type, sessionId }`. */
export interface LiveViewMessage {
  source: typeof LIVE_VIEW_MESSAGE_SOURCE;
  type: "connected" | "disconnected" | "ended";
  sessionId: string;
}

// Runs in the viewer's browser; kept as plain JS so the page needs nothing but this file.
const SCRIPT = String.raw`
const canvas = document.getElementById("screen");
const ctx = canvas.getContext("2d");
const note = document.getElementById("note");
const root = document.documentElement;
const interactive = new URLSearchParams(location.search).get("interactive") === "true";
let frameW = 0, frameH = 0, bitmap = null, lastSeq = 0, frames = 0;
let socket = null, attempts = 0, connected = false, ended = false;
let lastPress = { t: 0, x: 0, y: 0, count: 0 };
root.dataset.interactive = String(interactive);
canvas.style.cursor = interactive ? "default" : "not-allowed";

function post(type) {
  if (window.parent === window) return;
  try { window.parent.postMessage({ source: "firecrawl-interact", type, sessionId: SESSION_ID }, "*"); } catch {}
}
function setState(state, text) {
  root.dataset.state = state;
  note.textContent = text || "";
  note.hidden = !text;
}
function box() {
  const cw = canvas.clientWidth, ch = canvas.clientHeight;
  const s = frameW && frameH ? Math.min(cw / frameW, ch / frameH) : 1;
  return { s, x: (cw - frameW * s) / 2, y: (ch - frameH * s) / 2 };
}
function draw() {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr), h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#111";
  ctx.fillRect(0, 0, w, h);
  if (!bitmap) return;
  const b = box();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(bitmap, b.x, b.y, frameW * b.s, frameH * b.s);
}
new ResizeObserver(draw).observe(canvas);

async function onFrame(data) {
  const view = new DataView(data);
  const n = view.getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 4, n)));
  const image = await createImageBitmap(new Blob([new Uint8Array(data, 4 + n)], { type: "image/jpeg" }));
  if (ended || header.seq < lastSeq) { image.close(); return; }
  lastSeq = header.seq;
  if (bitmap) bitmap.close();
  bitmap = image; frameW = header.width; frameH = header.height;
  root.dataset.frames = String(++frames);
  draw();
}
function end(reason) {
  ended = true;
  if (bitmap) { bitmap.close(); bitmap = null; }
  draw();
  const expired = reason === "expired" || reason === "idle";
  setState("ended", expired ? "Session expired" : "Session ended");
  post("ended");
}
function connect() {
  if (ended) return;
  socket = new WebSocket(location.href.split("#")[0].replace(/^http/, "ws"));
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event) => {
    if (typeof event.data !== "string") { onFrame(event.data); return; }
    const message = JSON.parse(event.data);
    if (message.type === "ready") { connected = true; attempts = 0; setState("live"); post("connected"); }
    else if (message.type === "ended") end(message.reason);
  };
  socket.onclose = () => {
    socket = null;
    if (ended) return;
    if (connected) { connected = false; post("disconnected"); }
    setState("disconnected", "Reconnecting…");
    setTimeout(connect, Math.min(5000, 250 * 2 ** attempts++));
  };
}

function send(message) {
  if (interactive && connected && socket && socket.readyState === 1) socket.send(JSON.stringify(message));
}
function toPage(event) {
  const rect = canvas.getBoundingClientRect(), b = box();
  const x = (event.clientX - rect.left - b.x) / b.s, y = (event.clientY - rect.top - b.y) / b.s;
  return x >= 0 && y >= 0 && x <= frameW && y <= frameH ? { x, y } : null;
}
const mods = (e) => (e.altKey ? 1 : 0) | (e.ctrlKey ? 2 : 0) | (e.metaKey ? 4 : 0) | (e.shiftKey ? 8 : 0);
const BUTTONS = ["left", "middle", "right", "back", "forward"];
const heldButton = (b) => (b & 1 ? "left" : b & 2 ? "right" : b & 4 ? "middle" : "none");
function mouse(action, event, button, clickCount) {
  const point = toPage(event);
  if (!point) return;
  send({ type: "mouse", action, x: point.x, y: point.y, button, buttons: event.buttons, clickCount, modifiers: mods(event) });
}
if (interactive) {
  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    const near = Math.abs(e.clientX - lastPress.x) < 5 && Math.abs(e.clientY - lastPress.y) < 5;
    const count = near && e.timeStamp - lastPress.t < 500 ? Math.min(3, lastPress.count + 1) : 1;
    lastPress = { t: e.timeStamp, x: e.clientX, y: e.clientY, count };
    mouse("mousePressed", e, BUTTONS[e.button] || "left", count);
  });
  canvas.addEventListener("pointerup", (e) => mouse("mouseReleased", e, BUTTONS[e.button] || "left", lastPress.count));
  canvas.addEventListener("pointermove", (e) => mouse("mouseMoved", e, heldButton(e.buttons), 0));
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const point = toPage(e);
    if (!point) return;
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? frameH : 1;
    send({ type: "wheel", x: point.x, y: point.y, deltaX: e.deltaX * unit, deltaY: e.deltaY * unit, modifiers: mods(e) });
  }, { passive: false });
  const key = (action) => (e) => {
    // Leave Ctrl/Cmd+V to the browser so the paste event below carries the clipboard text.
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "v") return;
    e.preventDefault();
    const text = action === "keyDown" && !e.ctrlKey && !e.metaKey ? (e.key.length === 1 ? e.key : e.key === "Enter" ? "\r" : "") : "";
    send({ type: "key", action, key: e.key, code: e.code, keyCode: e.keyCode, text, modifiers: mods(e) });
  };
  canvas.addEventListener("keydown", key("keyDown"));
  canvas.addEventListener("keyup", key("keyUp"));
  document.addEventListener("paste", (e) => {
    const text = e.clipboardData && e.clipboardData.getData("text/plain");
    if (text) { e.preventDefault(); send({ type: "text", text }); }
  });
}
setState("connecting", "Connecting…");
connect();
`;

const STYLE = `html,body{margin:0;height:100%;background:#111;overflow:hidden}
canvas{display:block;width:100%;height:100%;outline:none;touch-action:none}
#note{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;color:#eee;
background:rgba(17,17,17,.82);font:600 18px/1.4 system-ui,sans-serif;letter-spacing:.02em}
#note[hidden]{display:none}`;

/** Renders the self-contained live-view page for one session; `nonce` must match the page's CSP header. */
export function renderLiveViewPage(sessionId: string, nonce: string): string {
  // JSON.stringify plus escaping "<" keeps the id inert inside the script element.
  const id = JSON.stringify(sessionId).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Live browser</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<canvas id="screen" tabindex="0" aria-label="Live view of the remote browser"></canvas>
<div id="note" role="status" aria-live="polite"></div>
<script nonce="${nonce}">const SESSION_ID = ${id};${SCRIPT}</script>
</body>
</html>`;
}

/** Content-Security-Policy for the live-view page: only its own inline code, its own socket and blob images. */
export function liveViewCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src blob: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
