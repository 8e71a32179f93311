import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Title of the page the SDK conformance suite scrapes. */
export const ARTICLE_TITLE = "SDK conformance article";
/** Title of the page its links lead to. */
export const NEXT_TITLE = "SDK conformance next page";

/**
 * The scraped page: a heading, bold text, a relative and an absolute link, and a paragraph only a real browser
 * renders (written by a script), so a scrape that skipped Chromium would miss it.
 */
export const articleHtml = (origin: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${ARTICLE_TITLE}</title><meta name="description" content="A page for the SDK conformance suite"></head>
<body><h1>Conformance</h1>
<p>Scraped by the <strong>official SDK</strong>.</p>
<p><a id="next" href="/next">Next page</a> and <a href="${origin}/absolute">absolute link</a></p>
<div id="rendered"></div>
<script>document.getElementById("rendered").textContent = "Rendered by script";</script>
</body></html>`;

const NEXT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${NEXT_TITLE}</title></head>
<body><h1>Next</h1><p>The second page.</p></body></html>`;

/** A page with two images, a counter the scrape's actions click, and the X-Test header the request carried. */
const galleryHtml = (
  xTest: string | string[] | undefined,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>SDK conformance gallery</title></head><body><p id="header">X-Test: ${xTest ?? "none"}</p>
<img src="/one.png" alt="one"><img src="/two.jpg" alt="two">
<button id="more" onclick="this.textContent = String(Number(this.textContent) + 1)">0</button></body></html>`;

/** A site on 127.0.0.1 (free port) with `/article`, `/next`, `/absolute` and `/gallery`; it counts the requests per path. */
export async function serveConformanceSite(): Promise<{
  origin: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}> {
  const hits = new Map<string, number>();
  let origin = "";
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://site.invalid").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === "/gallery") {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(galleryHtml(request.headers["x-test"]));
      return;
    }
    const html = path === "/article" ? articleHtml(origin) : path === "/next" || path === "/absolute" ? NEXT_HTML : "";
    if (!html) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
