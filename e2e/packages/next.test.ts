import { readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, inject, test } from "vitest";
import { freePort, INSTALL_FLAGS, killGroup, NodeChildren, waitForOutput } from "./helpers.js";

const FIXTURE = resolve(fileURLToPath(new URL("../../integrations/next", import.meta.url)));
const packs = inject("packs");
/** One row per Node release for describe.each: [version, runtime], so suite names read "node 22.12.0". */
const releases = inject("runtimes").map((runtime) => [runtime.version, runtime] as const);

const MISSING_KEY = {
  success: false,
  code: "missing_api_key",
  error: "FIRECRAWL_API_KEY is not set: the interact proxy has no API key",
};

/** Route table rows of `next build` output: [kind symbol, route]. */
const routeRows = (stdout: string) => [...stdout.matchAll(/^[┌├└]\s+(\S)\s+(\/\S*)/gm)].map((m) => [m[1], m[2]]);

/** A copy of the fixture's sources in a new temp folder: a local run's build output and installs are not part of it. */
async function fixtureCopy(from: string, prefix: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), prefix));
  await cp(from, copy, {
    recursive: true,
    filter: (source) => !["node_modules", ".next", "next-env.d.ts"].includes(basename(source)),
  });
  return copy;
}

// npm install runs once, on the oldest release: the tree it makes is the same on every release (no dependency builds
// anything at install time), and install.test.ts installs both tarballs on each one. Each release builds its own copy.
let installed: string;

beforeAll(async () => {
  installed = await fixtureCopy(FIXTURE, "fci-next-install-");
  await rm(join(installed, "package-lock.json"), { force: true });
  const oldest = inject("runtimes")[0];
  if (!oldest) throw new Error("no Node release to install the fixture on");
  const started = Date.now();
  await new NodeChildren(oldest).runOk("npm", ["install", ...INSTALL_FLAGS, packs.main, packs.emulator], {
    cwd: installed,
    timeoutMs: 540_000,
  });
  console.info(
    `Next fixture on node ${oldest.version}: npm install took ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 600_000);

afterAll(async () => {
  if (installed) await rm(installed, { recursive: true, force: true });
});

// The releases build and serve at the same time, each its own copy.
describe.concurrent.each(releases)("node %s", (_version, runtime) => {
  const children = new NodeChildren(runtime);
  let app: string;

  beforeAll(async () => {
    app = await fixtureCopy(installed, `fci-next-${runtime.version}-`);
    // Hard links: node_modules at no copying cost; next build and next start write only into the app's .next.
    await children.runOk("cp", ["-al", join(installed, "node_modules"), join(app, "node_modules")], { cwd: app });
  });

  afterEach(() => {
    children.killAll();
  });

  afterAll(async () => {
    children.killAll();
    if (app) await rm(app, { recursive: true, force: true });
  });

  const nextBin = () => join(app, "node_modules/next/dist/bin/next");

  describe.sequential("Next.js App Router fixture on the packed tarballs", () => {
    test("next build succeeds with FIRECRAWL_API_KEY unset and lists the routes", async ({ expect }) => {
      const started = Date.now();
      const { stdout } = await children.runOk(children.node, [nextBin(), "build"], { cwd: app, timeoutMs: 300_000 });
      console.info(
        `Next fixture on node ${runtime.version}: next build took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(routeRows(stdout)).toEqual([
        ["○", "/"],
        ["○", "/_not-found"],
        ["ƒ", "/api/emulator"],
        ["ƒ", "/api/firecrawl/[...path]"],
        ["ƒ", "/sessions"],
      ]);
      // The proxy (the only module that knows the variable) stays out of every browser chunk.
      const staticDir = join(app, ".next/static");
      const chunks = (await readdir(staticDir, { recursive: true })).filter((file) => file.endsWith(".js"));
      expect(chunks.length).toBeGreaterThan(0);
      expect(
        chunks.filter((file) => readFileSync(join(staticDir, file), "utf8").includes("FIRECRAWL_API_KEY")),
      ).toEqual([]);
    }, 330_000);

    test("next start: the proxy answers missing_api_key; the emulator route, the quick-start and prefetched pages work", async ({
      expect,
    }) => {
      // Stands in for Firecrawl behind the Server Component's list (FIRECRAWL_API_URL), so no request leaves the host.
      const upstreamCalls: string[] = [];
      const upstream: Server = createServer((request, response) => {
        upstreamCalls.push(`${request.method} ${request.url} auth=${request.headers.authorization ?? "none"}`);
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            success: true,
            sessions: [{ id: "sess_fixture", status: "active", liveViewUrl: "http://127.0.0.1:9/live/sess_fixture" }],
          }),
        );
      });
      await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
      try {
        const address = upstream.address();
        const upstreamUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/v2`;
        const port = await freePort();
        const next = children.start(children.node, [nextBin(), "start", "-H", "127.0.0.1", "-p", String(port)], {
          cwd: app,
          env: children.env({ FIRECRAWL_API_URL: upstreamUrl }),
        });
        try {
          await waitForOutput(next, /Ready in/, 60_000);
          const origin = `http://127.0.0.1:${port}`;
          for (const init of [{}, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }]) {
            const answer = await fetch(`${origin}/api/firecrawl/interact`, init);
            expect(answer.status).toBe(500);
            expect(answer.headers.get("content-type")).toBe("application/json");
            expect(await answer.json()).toEqual(MISSING_KEY);
          }

          // The emulator package runs inside a route (serverExternalPackages), here without starting a browser.
          const emulator = await fetch(`${origin}/api/emulator`);
          expect([emulator.status, await emulator.json()]).toEqual([
            200,
            { status: 200, body: { success: true, sessions: [] } },
          ]);

          const home = await fetch(`${origin}/`);
          expect(home.status).toBe(200);
          expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
          const homeHtml = await home.text();
          expect(homeHtml).toContain(">Start</button>");
          expect(homeHtml).toContain("No live session");

          const sessions = await fetch(`${origin}/sessions`);
          expect(sessions.status).toBe(200);
          const sessionsHtml = await sessions.text();
          // The Server Component's <LiveView> frames the prefetched session; the client list renders it from the cache.
          expect(sessionsHtml).toMatch(
            /<iframe title="Newest session" src="http:\/\/127\.0\.0\.1:9\/live\/sess_fixture"/,
          );
          expect(sessionsHtml).toContain("<li>sess_fixture</li>");
          expect(upstreamCalls).toEqual(["GET /v2/interact?status=active auth=none"]);
        } finally {
          killGroup(next.child);
          await next.exited;
        }
      } finally {
        upstream.close();
      }
    }, 120_000);
  });
});
