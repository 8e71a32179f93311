/** Test pages the bench points sessions at, served on 127.0.0.1 with an ephemeral port. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Changes every animation frame: a box crossing the page and a frame counter, as a typical animated UI would. */
const ANIMATED = `<!doctype html><html><head><title>animated</title><style>
html,body{margin:0;height:100%;overflow:hidden;background:#fff;font:24px sans-serif}
#box{position:absolute;top:280px;width:160px;height:160px}#count{position:absolute;top:20px;left:20px}
</style></head><body><div id="box"></div><div id="count"></div><script>
const box = document.getElementById("box");
const count = document.getElementById("count");
let frames = 0;
function tick(t) {
  box.style.left = (Math.floor(t / 4) % 1120) + "px";
  box.style.background = "hsl(" + (Math.floor(t / 8) % 360) + " 80% 50%)";
  count.textContent = "frame " + ++frames;
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
