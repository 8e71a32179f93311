import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** The page the scrape tests convert: its exact Markdown, HTML and links are asserted. */
export const ARTICLE_HTML = `<!doctype html><html lang="en"><head><title>Scrape fixture</title>
<meta name="description" content="a page to scrape"><style>p { color: #333 }</style>
<script>localStorage.setItem("visits", String(Number(localStorage.getItem("visits") || 0) + 1));</script>
</head><body><h1>Hello, emulator</h1>
<p>Some <strong>bold</strong> text and <a href="/about">a relative link</a>.</p>
<ul><li>one</li><li>two</li></ul>
<p><a href="https://example.com/x">External</a> <a href="#top">Top</a> <a href="/about">Again</a> <a href="mailto:a@example.com">Mail</a></p>
<img src="/logo.png" alt="Logo">
<noscript>no script</noscript><script>document.body.dataset.ran = "yes";</script>
</body></html>`;

const PAGES: Record<string, string> = {
  "/article": ARTICLE_HTML,
  "/about": `<!doctype html><html><head><title>About</title></head><body><p>About us</p></body></html>`,
  "/button": `<!doctype html><html><head><title>clicked 0</title></head><body>
<button id="b" onclick="document.title = 'clicked ' + (++window.n)">go</button><script>window.n = 0</script></body></html>`,
  "/untitled": `<!doctype html><html><body><p>no title here</p></body></html>`,
};

/**
 * A 127.0.0.1 site on a free port for the scrape tests. Every page sets a `visit` cookie with a fresh value when the
 * request has none, so a reopened page that still shows the first value proves its cookie came from the scrape.
 * `/redirect` answers 302 to `/article`, `/missing` a 404 page, `/hang` never answers.
 */
export async function startScrapeSite() {
  let issued = 0;
  const requests: { path: string; cookie: string | undefined }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const path = new URL(request.url ?? "/", "http://site.invalid").pathname;
    requests.push({ path, cookie: request.headers.cookie });
    if (path === "/hang") return;
    if (path === "/redirect") {
      response.writeHead(302, { Location: "/article" });
      response.end();
      return;
    }
    const headers: Record<string, string> = { "Content-Type": "text/html; charset=utf-8" };
    if (!/(^|;\s*)visit=/.test(request.headers.cookie ?? "")) headers["Set-Cookie"] = `visit=v${++issued}; Path=/`;
    const html = PAGES[path];
    response.writeHead(html === undefined ? 404 : 200, headers);
    response.end(html ?? "<!doctype html><html><head><title>Not found</title></head><body>missing</body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    /** Every request the site got, with its Cookie header. */
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A /hang request would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}
