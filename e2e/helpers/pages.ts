import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Background of the test page before a click, as RGB. */
export const IDLE_COLOR = [255, 106, 0] as const;
/** Background after an odd number of clicks, as RGB. */
export const CLICKED_COLOR = [0, 166, 81] as const;

const rgb = (color: readonly number[]) => `rgb(${color.join(",")})`;

/**
 * A page for the remote browser: one full-screen button whose colour flips on every click (counted in
 * `window.clicks`), and a ticking counter so every screencast frame differs from the last.
 */
export const TEST_PAGE_HTML = `<!doctype html><html><head><title>e2e target page</title><style>
html,body{margin:0;height:100%;font-family:sans-serif}
#target{position:fixed;inset:0;border:0;background:${rgb(IDLE_COLOR)};cursor:pointer}
#target.clicked{background:${rgb(CLICKED_COLOR)}}
#label{position:fixed;left:32px;top:24px;color:#fff;pointer-events:none}
#label h1{margin:0;font-size:44px}#label p{margin:8px 0 0;font-size:22px;opacity:.9}
#hint{position:fixed;left:32px;bottom:24px;color:#fff;font-size:20px;pointer-events:none}
</style></head><body><button id="target" aria-label="target"></button>
<div id="label"><h1>A real Chromium, streamed live</h1><p>frame <span id="tick">0</span></p></div>
<div id="hint">Click anywhere to flip the colour</div><script>
window.clicks = 0;
const target = document.getElementById("target");
target.addEventListener("click", () => { window.clicks += 1; target.classList.toggle("clicked", window.clicks % 2 === 1); });
let tick = 0;
setInterval(() => { tick += 1; document.getElementById("tick").textContent = String(tick); }, 100);
</script></body></html>`;

/** Serves {@link TEST_PAGE_HTML} at `/target` on 127.0.0.1 for the remote browser to visit. */
export async function serveTestPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url !== "/target") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(TEST_PAGE_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/target`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A small site on 127.0.0.1 for the remote browser: fixed pages by path, with a count of requests per path. */
export interface TestSite {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Absolute URL of a path. */
  url(path: string): string;
  /** How many times a path was requested. */
  hits(path: string): number;
  close(): Promise<void>;
}

/** Serves `pages` (path → HTML) on a random port of 127.0.0.1; any other path is a 404. */
export async function serveTestSite(pages: Readonly<Record<string, string>>): Promise<TestSite> {
  const counts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const html = Object.hasOwn(pages, path) ? pages[path] : undefined;
    if (html === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    hits: (path) => counts.get(path) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
