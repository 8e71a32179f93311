import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, createLogger, createServer, type InlineConfig, preview, type ViteDevServer } from "vite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { processes } from "../../e2e/packages/helpers.js";
import { type FirecrawlInteractOptions, firecrawlInteract, isTestRun } from "./plugin.js";

const HANDLE = /^up-1-[0-9a-f]{32}$/;
const roots: string[] = [];

/** A Vite project folder with an index.html and `files` (e.g. a .env). */
async function projectRoot(files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "fci-vite-plugin-"));
  roots.push(root);
  await writeFile(join(root, "index.html"), "<!doctype html><html><body>app</body></html>");
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
  return root;
}

/** The Chromium processes this test process started (the embedded emulator's), with their temp profiles. */
function chromiumChildren(): { pid: number; userDataDir: string | undefined }[] {
  return processes()
    .filter((info) => info.ppid === process.pid && /chrom/i.test(info.name))
    .map((info) => ({
      pid: info.pid,
      userDataDir: info.argv.find((arg) => arg.startsWith("--user-data-dir="))?.slice("--user-data-dir=".length),
    }));
}

const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
};

function viteConfig(root: string, options: FirecrawlInteractOptions, mode = "development"): InlineConfig {
  const logger = createLogger("silent");
  vi.spyOn(logger, "info");
  return {
    configFile: false,
    root,
    mode,
    logLevel: "silent",
    customLogger: logger,
    server: { port: 0, host: "127.0.0.1", watch: null },
    preview: { port: 0, host: "127.0.0.1" },
    plugins: [firecrawlInteract(options)],
  };
}

const servers: { close(): Promise<void> }[] = [];

async function startDev(root: string, options: FirecrawlInteractOptions = {}, mode?: string) {
  const server: ViteDevServer = await createServer(viteConfig(root, options, mode));
  servers.push(server);
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | undefined;
  return { server, origin: `http://127.0.0.1:${address?.port}` };
}

const post = (url: string, body: unknown = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A stand-in for Firecrawl: records each call and answers a create with a session. */
let upstream: Server;
let upstreamUrl: string;
const upstreamCalls: { method: string; path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  upstream = createHttpServer((request, response) => {
    upstreamCalls.push({
      method: request.method ?? "",
      path: request.url ?? "",
      authorization: request.headers.authorization,
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        success: true,
        id: "up-1",
        liveViewUrl: "https://live.example/view",
        interactiveLiveViewUrl: "https://live.example/view?interactive=true",
        cdpUrl: "wss://cdp.example/up-1",
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v2`;
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  vi.unstubAllEnvs();
  upstreamCalls.length = 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe("firecrawlInteract() on a dev server (VITEST unset, as under `vite`)", () => {
  beforeEach(() => {
    vi.stubEnv("VITEST", "");
    vi.stubEnv("FIRECRAWL_API_KEY", undefined);
    vi.stubEnv("FIRECRAWL_API_URL", undefined);
  });

  test("no key: the first proxied request starts the emulator, a session opens on its start page with a live view, and server.close() leaves no Chromium and no temp profile", async () => {
    const { server, origin } = await startDev(await projectRoot());
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    await page.body?.cancel();
    expect(chromiumChildren()).toEqual([]);

    const created = await post(`${origin}/api/firecrawl/interact`);
    expect(created.status).toBe(200);
    const session = (await created.json()) as Record<string, string | undefined>;
    // The id is the developer's signed handle; the CDP URL stays on the server.
    expect(session.id).toMatch(/^[0-9a-f-]{36}-[0-9a-f]{32}$/);
    expect(session.cdpUrl).toBe(undefined);
    const liveOrigin = new URL(String(session.liveViewUrl)).origin;
    expect(liveOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(liveOrigin).not.toBe(origin);
    const view = await fetch(String(session.liveViewUrl));
    expect([view.status, view.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    await view.body?.cancel();
    const opened = await post(`${origin}/api/firecrawl/interact/${session.id}/execute`, { code: "page.url()" });
    expect([opened.status, (await opened.json()).result]).toEqual([200, `${liveOrigin}/__emulator/start`]);
    const listed = await fetch(`${origin}/api/firecrawl/interact`);
    expect(((await listed.json()).sessions as { id: string }[]).map((entry) => entry.id)).toEqual([session.id]);
    expect(vi.mocked(server.config.logger.info).mock.calls).toEqual([
      [`firecrawl-interact: no FIRECRAWL_API_KEY, so /api/firecrawl talks to a local emulator at ${liveOrigin}`],
    ]);

    // The session's browser and the refilled warm one.
    const browsers = chromiumChildren();
    expect(browsers.length).toBeGreaterThanOrEqual(1);
    expect(browsers.every(({ userDataDir }) => userDataDir?.includes("fci-chromium-"))).toBe(true);
    await server.close();
    expect(browsers.filter(({ pid }) => alive(pid))).toEqual([]);
    expect(browsers.filter(({ userDataDir }) => userDataDir && existsSync(userDataDir))).toEqual([]);
    expect(chromiumChildren()).toEqual([]);
  });

  test("the key and API root from the project's .env go upstream, limits merge over the dev ones, no emulator starts", async () => {
    const root = await projectRoot({ ".env": `FIRECRAWL_API_KEY=fc-from-dotenv\nFIRECRAWL_API_URL=${upstreamUrl}\n` });
    const { origin } = await startDev(root, { limits: { allowExecute: false } });
    const created = await post(`${origin}/api/firecrawl/interact`);
    expect([created.status, (await created.json()).id]).toEqual([200, expect.stringMatching(HANDLE)]);
    expect(upstreamCalls).toEqual([{ method: "POST", path: "/v2/interact", authorization: "Bearer fc-from-dotenv" }]);
    const execute = await post(`${origin}/api/firecrawl/interact/up-1/execute`, { code: "1" });
    expect([execute.status, (await execute.json()).error]).toEqual([
      403,
      "Executing code is not allowed by this proxy",
    ]);
    // Scrape interaction is still on: the scrape is only unknown to the developer's owner store.
    const scrape = await post(`${origin}/api/firecrawl/scrape/00000000-0000-4000-8000-000000000000/interact`, {
      code: "1",
    });
    expect([scrape.status, (await scrape.json()).error]).toEqual([404, "Job not found."]);
    // Scraping is on too: a URL that is not http(s) is the validator's 400, not the 403 of a proxy that forbids it.
    const scraped = await post(`${origin}/api/firecrawl/scrape`, { url: "file:///etc/passwd" });
    expect([scraped.status, (await scraped.json()).code]).toEqual([400, "invalid_request"]);
    expect(upstreamCalls).toHaveLength(1);
    expect(chromiumChildren()).toEqual([]);
  });

  test("vite preview mounts it too; apiKey and baseUrl options win", async () => {
    const root = await projectRoot({ ".env": "FIRECRAWL_API_KEY=fc-from-dotenv\n" });
    const server = await preview(viteConfig(root, { apiKey: "fc-option-key", baseUrl: upstreamUrl }));
    servers.push(server);
    const { port } = server.httpServer.address() as AddressInfo;
    const created = await post(`http://127.0.0.1:${port}/api/firecrawl/interact`);
    expect([created.status, (await created.json()).id]).toEqual([200, expect.stringMatching(HANDLE)]);
    expect(upstreamCalls).toEqual([{ method: "POST", path: "/v2/interact", authorization: "Bearer fc-option-key" }]);
  });

  test("vite build runs none of it: it builds with no key and starts nothing", async () => {
    const root = await projectRoot();
    await build({ ...viteConfig(root, {}), build: { outDir: join(root, "dist") } });
    expect(existsSync(join(root, "dist/index.html"))).toBe(true);
    expect(chromiumChildren()).toEqual([]);
  });
});

describe("under vitest", () => {
  test("isTestRun: VITEST set (any non-empty value) or Vite's test mode", () => {
    expect([
      isTestRun("development", {}),
      isTestRun("development", { VITEST: "" }),
      isTestRun("development", { VITEST: "true" }),
      isTestRun("test", {}),
      isTestRun("production", { VITEST: "1" }),
    ]).toEqual([false, false, true, true, true]);
    // It reads the real environment by default, where vitest set VITEST.
    expect([process.env.VITEST, isTestRun("development")]).toEqual(["true", true]);
  });

  test.each([
    ["VITEST as vitest set it", "development", "true"],
    ["the test mode", "test", ""],
  ])("with %s, nothing is mounted and nothing started", async (_, mode, vitest) => {
    vi.stubEnv("VITEST", vitest);
    const { origin } = await startDev(await projectRoot(), {}, mode);
    const created = await post(`${origin}/api/firecrawl/interact`);
    // Vite's own answer for a path nobody serves, not the proxy's JSON.
    expect([created.status, created.headers.get("content-type"), await created.text()]).toEqual([404, null, ""]);
    expect(chromiumChildren()).toEqual([]);
  });
});
