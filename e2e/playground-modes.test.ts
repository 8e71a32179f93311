import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../playground/server.js";

const FAKE_KEY = "fc-playground-mode-key-51aa7f";
const SCRAPE_ID = "0b7f3c2e-5a41-4d7e-9f0e-2c6a1b8d4e93";

/** A stand-in for Firecrawl that records what reached it. */
async function fakeFirecrawl() {
  const seen: { method: string; url: string; authorization: string | undefined; body?: unknown }[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const entry = {
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
    };
    seen.push(text ? { ...entry, body: JSON.parse(text) } : entry);
    const answer =
      request.url === "/v2/scrape"
        ? // An answer that echoes the key: the proxy must redact it.
          { success: true, data: { markdown: `# Hi ${FAKE_KEY}`, metadata: { scrapeId: SCRAPE_ID, statusCode: 200 } } }
        : { success: true, sessions: [] };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("startPlayground with a key", () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  it("talks to the Firecrawl API with the key, tells the page only its mode, and starts no emulator", async () => {
    const upstream = await fakeFirecrawl();
    cleanups.push(upstream.close);
    const playground: Playground = await startPlayground({
      port: 0,
      apiKey: FAKE_KEY,
      baseUrl: upstream.url,
      logLevel: "silent",
    });
    cleanups.push(playground.close);
    expect([playground.mode, playground.label, playground.emulator]).toEqual(["firecrawl", "Firecrawl API", null]);

    const info = await fetch(new URL("/api/playground-info", playground.url));
    const infoText = await info.text();
    expect(JSON.parse(infoText)).toEqual({
      mode: "firecrawl",
      label: "Firecrawl API",
      startUrl: "https://example.com/",
    });

    const list = await fetch(new URL("/api/firecrawl/interact?status=active", playground.url), {
      headers: { authorization: "Bearer from-the-page", cookie: "sid=1" },
    });
    expect([list.status, await list.json()]).toEqual([200, { success: true, sessions: [] }]);
    expect(upstream.seen).toEqual([
      { method: "GET", url: "/v2/interact?status=active", authorization: `Bearer ${FAKE_KEY}` },
    ]);

    const html = await (await fetch(playground.url)).text();
    expect(html).toContain('<div id="root"></div>');
    const main = await (await fetch(new URL("/src/main.tsx", playground.url))).text();
    expect(main).toContain("/api/firecrawl");
    for (const text of [infoText, html, main]) expect(text).not.toContain(FAKE_KEY);
  });

  it("its proxy forwards a scrape of an http(s) URL with the key in the formats the panel shows, and refuses anything else", async () => {
    const upstream = await fakeFirecrawl();
    cleanups.push(upstream.close);
    const playground = await startPlayground({ port: 0, apiKey: FAKE_KEY, baseUrl: upstream.url, logLevel: "silent" });
    cleanups.push(playground.close);
    const scrape = (init: RequestInit) => fetch(new URL("/api/firecrawl/scrape", playground.url), init);
    const json = { "content-type": "application/json", authorization: "Bearer from-the-page" };
    const body = (value: unknown) => ({ method: "POST", headers: json, body: JSON.stringify(value) });

    const ok = await scrape(body({ url: "https://example.com/a", formats: ["markdown", "links"] }));
    const okText = await ok.text();
    expect([ok.status, JSON.parse(okText)]).toEqual([
      200,
      { success: true, data: { markdown: "# Hi [redacted]", metadata: { scrapeId: SCRAPE_ID, statusCode: 200 } } },
    ]);
    expect(okText).not.toContain(FAKE_KEY);
    // The page's credentials are dropped; the proxy sends the server's key.
    expect(upstream.seen).toEqual([
      {
        method: "POST",
        url: "/v2/scrape",
        authorization: `Bearer ${FAKE_KEY}`,
        body: { url: "https://example.com/a", formats: ["markdown", "links"] },
      },
    ]);

    const refused = [
      [await scrape({ method: "PUT", headers: json, body: "{}" }), 405],
      [await scrape({ method: "POST", headers: { "content-type": "text/plain" }, body: '{"url":"https://a.b"}' }), 415],
      [await scrape({ method: "POST", headers: json, body: "{not json" }), 400],
      [await scrape(body({ url: "file:///etc/passwd" })), 400],
      [await scrape(body({ url: "example.com" })), 400],
      // Only the formats the panel shows: a screenshot is more than the dev server lets a page ask for.
      [await scrape(body({ url: "https://example.com/a", formats: ["screenshot"] })), 403],
    ] as const;
    expect(refused.map(([response]) => response.status)).toEqual(refused.map(([, status]) => status));
    for (const [response] of refused) expect((await response.json()).success).toBe(false);
    expect(upstream.seen).toHaveLength(1);
  });

  it("closes idempotently and frees its port", async () => {
    const upstream = await fakeFirecrawl();
    cleanups.push(upstream.close);
    const playground = await startPlayground({ port: 0, apiKey: FAKE_KEY, baseUrl: upstream.url, logLevel: "silent" });
    await Promise.all([playground.close(), playground.close()]);
    await expect(fetch(playground.url)).rejects.toThrow();
  });
});
