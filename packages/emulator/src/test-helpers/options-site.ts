import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** A 1×1 red PNG, as a `data:` URL (a base64 image Firecrawl's markdown replaces by a placeholder). */
export const RED_DOT =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** The JSON body of `/data.json`, exactly as the site sends it. */
export const JSON_BODY = '{"id":1,"title":"# not a heading","tags":["a","b"]}';
/** The plain-text body of `/notes.txt`, with characters markdown would escape. */
export const TEXT_BODY = "# Notes\n[not a link] *not bold* 1. not a list\n";

/** A page with boilerplate around its main content, images of every kind, and a form the actions fill in. */
export const LAYOUT_HTML = `<!doctype html><html lang="en"><head><title>Layout</title>
<meta property="og:image" content="/og.png"><link rel="icon" href="/favicon.ico"></head><body>
<header><p>Site header</p></header>
<nav class="menu"><a href="/home">Home</a></nav>
<header class="hero"><div id="main"><p>Kept: this header holds #main</p></div></header>
<article><h1>Article</h1><p class="lead">Lead paragraph</p><p class="ad">Buy now</p>
<img src="/a.png" alt="A"><img src="/b.png" srcset="/b-2x.png 2x, /b-3x.png 3x" alt="B">
<img src="${RED_DOT}" alt="Dot"><picture><source srcset="/c.webp"><img src="/c.png" alt="C"></picture>
<video poster="/poster.jpg"></video><span data-sku="s-1">one</span><span data-sku="s-2">two</span></article>
<aside class="sidebar"><p>Related</p></aside>
<footer><p>Site footer</p></footer>
<input id="name"><button id="go" onclick="document.getElementById('out').textContent = 'Hello ' + document.getElementById('name').value">Go</button>
<p id="out"></p><div style="height:3000px"></div><p id="bottom">bottom</p>
</body></html>`;

/** A page that prints its viewport, user agent and touch support, so mobile emulation can be read back. */
const DEVICE_HTML = `<!doctype html><html><head><title>Device</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><p id="device"></p><script>
document.getElementById("device").textContent = JSON.stringify({ width: innerWidth, mobile: /Mobile/.test(navigator.userAgent), touch: navigator.maxTouchPoints > 0 });
</script></body></html>`;

/**
 * A 127.0.0.1 site for the scrape-option tests: `/layout` (LAYOUT_HTML), `/device`, `/headers` (a page that lists
 * the request's X-Test header), `/data.json` (JSON), `/notes.txt` (text), `/file.bin` (binary) and `/visits` (a page
 * whose `window.visit` counts its loads). Every request is recorded with its headers.
 */
export async function startOptionsSite() {
  const requests: { path: string; headers: Record<string, string | string[] | undefined> }[] = [];
  let visits = 0;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://site.invalid").pathname;
    requests.push({ path, headers: request.headers });
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { "Content-Type": type });
      response.end(body);
    };
    if (path === "/layout") return send("text/html; charset=utf-8", LAYOUT_HTML);
    if (path === "/device") return send("text/html; charset=utf-8", DEVICE_HTML);
    if (path === "/data.json") return send("application/json", JSON_BODY);
    if (path === "/notes.txt") return send("text/plain; charset=utf-8", TEXT_BODY);
    if (path === "/file.bin") return send("application/octet-stream", Buffer.from([0, 1, 2, 250, 255]));
    if (path === "/visits") {
      return send(
        "text/html; charset=utf-8",
        `<!doctype html><title>Visits</title><script>window.visit = ${++visits}</script>`,
      );
    }
    if (path === "/headers") {
      const seen = `X-Test: ${request.headers["x-test"] ?? "none"}`;
      return send("text/html; charset=utf-8", `<!doctype html><title>Headers</title><p>${seen}</p>`);
    }
    response.writeHead(404, { "Content-Type": "text/plain" });
    response.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// A self-signed certificate for 127.0.0.1 (a test fixture, trusted by nothing), made with
// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=127.0.0.1`.
const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmxt97jfQ7T/9WEJp
HeEOFInrrXE/9uJn1DgAyRIxn9mhRANCAARfggnlllu4WNwdVnqr43tLOQ8drvmj
RaxUSdTmGlDfxSc1leIEAwjdDq+FGjAksBJ9Jkl3H7V9+C2IQzAp7s6J
-----END PRIVATE KEY-----`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUW/4PdxLQCXkrkXIdgZyVTGr4xE4wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNjIyMDg1MVoYDzIxMjYxMTEy
MjIwODUxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARfggnlllu4WNwdVnqr43tLOQ8drvmjRaxUSdTmGlDfxSc1leIEAwjd
Dq+FGjAksBJ9Jkl3H7V9+C2IQzAp7s6Jo2QwYjAdBgNVHQ4EFgQUwDiqPeb9oHlH
BN6AZfnQ1GYIP14wHwYDVR0jBBgwFoAUwDiqPeb9oHlHBN6AZfnQ1GYIP14wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQCF6p38SJHNOSupgUnSFmHRwx2ZB1C53CD7NwrDHPeWSAIhAL0FPIV78FTCwz+h
O3LrP6Ylf3h6mwIIvxNZiE5uxgXn
-----END CERTIFICATE-----`,
};

/** An https site on 127.0.0.1 whose certificate no browser trusts: one page, "Behind a self-signed certificate". */
export async function startSelfSignedSite() {
  const server = createTlsServer(SELF_SIGNED, (_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>TLS</title><p>Behind a self-signed certificate</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
