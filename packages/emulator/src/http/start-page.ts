import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorHttpError } from "../errors.js";

// Offline pages a new session can open on (the playground navigates there right after create): a live clock and a
// CSS animation so the view is visibly streaming, a form to type into and a long page to scroll. Self-contained:
// no external resource, inline code only under a per-response nonce, no token or session data in them.

/** Path of the emulator's start page; `/form` and `/scroll` below it are the pages it links to. */
export const START_PAGE_PATH = "/__emulator/start";

const BASE_STYLE = `:root{color-scheme:light;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
*{box-sizing:border-box}html,body{margin:0}body{min-height:100vh;background:#f5f6fa;color:#1b1d29}
a{color:#d2400c}nav{display:flex;gap:18px;padding:14px 28px;background:#fff;border-bottom:1px solid #e3e5ee;
font-size:17px;font-weight:600}nav a{text-decoration:none}nav a[aria-current]{color:#1b1d29}
main{padding:28px}h1{margin:0 0 8px;font-size:40px}p{font-size:19px;line-height:1.45;margin:8px 0}`;

const NAV = [
  ["", "Start"],
  ["/form", "Form"],
  ["/scroll", "Long page"],
] as const;

function nav(current: string): string {
  const links = NAV.map(([path, label]) => {
    const attribute = path === current ? ' aria-current="page"' : "";
    return `<a href="${START_PAGE_PATH}${path}"${attribute}>${label}</a>`;
  });
  return `<nav>${links.join("")}</nav>`;
}

const HOME_STYLE = `.hero{display:grid;grid-template-columns:1fr auto;gap:28px;align-items:center}
.clock{font:700 64px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-variant-numeric:tabular-nums}
.orbit{width:150px;height:150px;border-radius:50%;border:10px solid #ffd2bd;border-top-color:#ff5b1f;
animation:spin 1.6s linear infinite}@keyframes spin{to{transform:rotate(360deg)}}
.bar{height:10px;margin:22px 0;border-radius:5px;background:linear-gradient(90deg,#ff5b1f,#ffb21f,#15925a,#1f7aff,#ff5b1f);
background-size:200% 100%;animation:slide 3s linear infinite}@keyframes slide{to{background-position:-200% 0}}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:18px}
.card{display:block;padding:20px;border-radius:14px;background:#fff;border:1px solid #e3e5ee;text-decoration:none;
color:inherit;font-size:18px}.card strong{display:block;font-size:22px;margin-bottom:6px;color:#d2400c}
button{font:inherit;font-weight:700;font-size:18px;padding:10px 18px;border-radius:10px;border:0;background:#1b1d29;
color:#fff;cursor:pointer}`;

const HOME = (nonce: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Emulator start page</title>
<style nonce="${nonce}">${BASE_STYLE}${HOME_STYLE}</style></head><body>
${nav("")}
<main>
<div class="hero"><div>
<h1>A real Chromium, live</h1>
<p>This page is served by the emulator, offline. The clock ticks inside the remote browser.</p>
<div class="clock" id="clock" aria-live="off">--:--:--.-</div>
</div><div class="orbit" aria-hidden="true"></div></div>
<div class="bar" aria-hidden="true"></div>
<div class="cards">
<a class="card" href="${START_PAGE_PATH}/form"><strong>Type into a form →</strong>Switch the live view to interactive, click the field, type or paste.</a>
<a class="card" href="${START_PAGE_PATH}/scroll"><strong>Scroll a long page →</strong>Forty sections and a scroll meter: try the mouse wheel.</a>
<div class="card"><strong>Click me</strong><p>Clicks so far: <span id="clicks">0</span></p><button id="click" type="button">Click</button></div>
</div>
<p>Open any http or https address with the address bar, or drive the page with code (<code>page.goto(…)</code>).</p>
</main>
<script nonce="${nonce}">
const clock = document.getElementById("clock");
const pad = (n, w = 2) => String(n).padStart(w, "0");
const tick = () => { const d = new Date();
  clock.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." + Math.floor(d.getMilliseconds() / 100); };
tick(); setInterval(tick, 100);
let clicks = 0;
document.getElementById("click").addEventListener("click", () => { clicks += 1; document.getElementById("clicks").textContent = String(clicks); });
</script></body></html>`;

const FORM_STYLE = `main{position:relative;height:calc(100vh - 56px)}
#name{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);width:72%;height:110px;padding:0 26px;
font-size:40px;border:3px solid #1b1d29;border-radius:14px;background:#fff;color:#1b1d29}
#name:focus{outline:4px solid #ff5b1f;outline-offset:3px}
.below{position:absolute;left:14%;right:14%;top:calc(50% + 78px);font-size:22px}
.below button{font:inherit;font-weight:700;padding:8px 18px;border-radius:10px;border:0;background:#1b1d29;color:#fff}
#echo{font-weight:700;word-break:break-all}`;

const FORM = (nonce: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Form · emulator</title>
<style nonce="${nonce}">${BASE_STYLE}${FORM_STYLE}</style></head><body>
${nav("/form")}
<main>
<h1>Type here</h1>
<p>Click the field in the interactive live view, then type or paste. Enter sends the form.</p>
<form method="get" action="${START_PAGE_PATH}/form">
<input id="name" name="text" type="text" autocomplete="off" aria-label="Your text" placeholder="Type something…">
<div class="below"><p>You typed: <span id="echo"></span></p><p id="sent"></p><button type="submit">Send</button></div>
</form>
</main>
<script nonce="${nonce}">
const input = document.getElementById("name");
const echo = document.getElementById("echo");
const show = () => { echo.textContent = input.value; };
input.addEventListener("input", show);
const sent = new URLSearchParams(location.search).get("text");
if (sent !== null) document.getElementById("sent").textContent = "Sent: " + sent;
show();
</script></body></html>`;

const SCROLL_STYLE = `#meter{position:sticky;top:0;z-index:1;padding:12px 28px;background:#1b1d29;color:#fff;font:700 20px/1.2
ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}section{height:220px;display:flex;align-items:center;padding:0 28px;
font-size:34px;font-weight:700;color:#fff}`;

const SECTIONS = Array.from({ length: 40 }, (_, index) => index + 1);
// One class per section colour (style attributes would need a weaker CSP).
const SECTION_STYLE = SECTIONS.map((n) => `.s${n}{background:hsl(${(n * 37) % 360} 62% 46%)}`).join("");

const SCROLL = (nonce: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Long page · emulator</title>
<style nonce="${nonce}">${BASE_STYLE}${SCROLL_STYLE}${SECTION_STYLE}</style></head><body>
${nav("/scroll")}
<div id="meter">scrollY 0</div>
${SECTIONS.map((n) => `<section class="s${n}">Section ${n}</section>`).join("\n")}
<script nonce="${nonce}">
const meter = document.getElementById("meter");
addEventListener("scroll", () => { meter.textContent = "scrollY " + Math.round(scrollY); }, { passive: true });
</script></body></html>`;

const PAGES: Readonly<Record<string, (nonce: string) => string>> = { "": HOME, "/form": FORM, "/scroll": SCROLL };

/** True for the start page and the pages below it. */
export function isStartPagePath(path: string): boolean {
  return path === START_PAGE_PATH || path.startsWith(`${START_PAGE_PATH}/`);
}

/**
 * Checks where new sessions should open (about:blank, an http(s) URL, or a path on the emulator such as
 * {@link START_PAGE_PATH}) and returns the URL for the emulator's origin, known only once it listens.
 */
export function startUrlResolver(startUrl: string | undefined): (origin: string) => string {
  if (startUrl === undefined || startUrl === "about:blank") return () => "about:blank";
  if (/^\/(?!\/)/.test(startUrl)) return (origin) => `${origin}${startUrl}`;
  const url = URL.canParse(startUrl) ? new URL(startUrl) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(
      `startUrl: ${JSON.stringify(startUrl)} is not about:blank, an http(s) URL or a path on the emulator like ${START_PAGE_PATH}`,
    );
  }
  return () => url.href;
}

/** Content-Security-Policy of a start page: its own inline code under `nonce`, nothing from anywhere else. */
export function startPageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Answers a GET or HEAD of a start page (see {@link START_PAGE_PATH}); other pages 404, other methods 405. */
export function serveStartPage(request: IncomingMessage, response: ServerResponse, path: string): void {
  const render = PAGES[path.slice(START_PAGE_PATH.length).replace(/\/$/, "")];
  if (!render) throw new EmulatorHttpError(404, "not_found", "Not found");
  if (request.method !== "GET" && request.method !== "HEAD") {
    throw new EmulatorHttpError(405, "method_not_allowed", "Use GET or HEAD", { allow: ["GET", "HEAD"] });
  }
  const nonce = randomBytes(16).toString("base64");
  const html = render(nonce);
  response.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": startPageCsp(nonce),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(request.method === "HEAD" ? undefined : html);
}
