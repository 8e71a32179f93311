/** Test pages the bench points sessions at, served on 127.0.0.1 with an ephemeral port. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Repaints every animation frame: a colour sweep plus a moving bar, so every compositor frame has damage. */
const ANIMATED = `<!doctype html><html><head><title>animated</title><style>
html,body{margin:0;height:100%;overflow:hidden}#bar{position:absolute;top:0;width:80px;height:100%;background:#000}
</style></head><body><div id="bar"></div><script>
const bar = document.getElementById("bar");
function tick(t) {
  document.body.style.background = "hsl(" + Math.floor(t / 8) % 360 + " 80% 60%)";
  bar.style.left = (Math.floor(t / 4) % 1200) + "px";
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
</script></body></html>`;

/** Still until clicked; each mousedown flips the whole page between white and black. */
const CLICK = `<!doctype html><html><head><title>click</title><style>
html,body{margin:0;height:100%;background:#fff}body.on{background:#000}
</style></head><body><script>
addEventListener("mousedown", () => document.body.classList.toggle("on"));
</script></body></html>`;

/** The page server: `/animated` and `/click`; `close` stops it. */
export interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts the page server on 127.0.0.1, port 0. */
export async function startPageServer(): Promise<PageServer> {
  const pages: Record<string, string> = { "/animated": ANIMATED, "/click": CLICK };
  const server = createServer((request, response) => {
    const page = pages[request.url ?? ""];
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
