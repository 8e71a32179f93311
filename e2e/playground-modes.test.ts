import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../playground/server.js";

const FAKE_KEY = "fc-playground-mode-key-51aa7f";

/** A stand-in for Firecrawl that records what reached it. */
async function fakeFirecrawl() {
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    seen.push({ method: request.method ?? "", url: request.url ?? "", authorization: request.headers.authorization });
    response.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"sessions":[]}');
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
    expect(JSON.parse(infoText)).toEqual({ mode: "firecrawl", label: "Firecrawl API" });

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

  it("closes idempotently and frees its port", async () => {
    const upstream = await fakeFirecrawl();
    cleanups.push(upstream.close);
    const playground = await startPlayground({ port: 0, apiKey: FAKE_KEY, baseUrl: upstream.url, logLevel: "silent" });
    await Promise.all([playground.close(), playground.close()]);
    await expect(fetch(playground.url)).rejects.toThrow();
  });
});
