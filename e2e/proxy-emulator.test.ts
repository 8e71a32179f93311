import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInteractClient, InteractApiError } from "firecrawl-interact";
import { createInteractMiddleware, createMemoryOwnerStore } from "firecrawl-interact/server";
import { type Emulator, startEmulator } from "firecrawl-interact-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "./helpers/browser.js";

const EMULATOR_KEY = "fc-e2e-proxy-emulator-key-93b1";

// The proxy in front of the real emulator on real Chromium: what passes, what is stopped, what comes back.
describe("the proxy in front of the emulator", () => {
  let emulator: Emulator;
  let server: Server;
  let origin = "";

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: EMULATOR_KEY, quiet: true, warmPool: 1 });
    server = createServer(
      createInteractMiddleware({
        apiKey: EMULATOR_KEY,
        baseUrl: emulator.url,
        limits: { allowExecute: true, maxTtl: 120 },
        // The x-user header stands in for the app's session cookie.
        authorize: (request) => {
          const user = request.headers.get("x-user");
          return user ? { userId: user } : false;
        },
        store: createMemoryOwnerStore(),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    const pids = emulator?.spawnedPids() ?? [];
    await emulator?.close();
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });

  const clientOf = (user: string) =>
    createInteractClient({ baseUrl: `${origin}/api/firecrawl`, headers: { "x-user": user } });

  it("creates, lists, executes in and deletes a real session through the proxy", async () => {
    const client = clientOf("alice");
    const created = await client.createSession({ ttl: 3600, activityTtl: 60 });
    expect(created.success).toBe(true);
    const id = created.id ?? "";
    // maxTtl 120 clamped the request: the emulator's expiry is at most two minutes away.
    const lifetime = Date.parse(created.expiresAt ?? "") - Date.now();
    expect(lifetime).toBeGreaterThan(100_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    const active = await client.listSessions({ status: "active" });
    expect(active.sessions?.map((session) => session.id)).toContain(id);
    const result = await client.execute(id, { code: "console.log(6 * 7)" });
    expect([result.stdout, result.exitCode]).toEqual(["42\n", 0]);
    const deleted = await client.deleteSession(id);
    expect(deleted.success).toBe(true);
    const again = await client.deleteSession(id).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(InteractApiError);
    expect((again as InteractApiError).status).toBe(410);
    const destroyed = await client.listSessions({ status: "destroyed" });
    expect(destroyed.sessions?.find((session) => session.id === id)?.status).toBe("destroyed");
  });

  it("keeps two users' real sessions apart: no list, execute or delete of the other's, no cdpUrl", async () => {
    const alice = clientOf("alice");
    const bob = clientOf("bob");
    const mine = await alice.createSession({ ttl: 120 });
    const theirs = await bob.createSession({ ttl: 120 });
    try {
      expect(mine).not.toHaveProperty("cdpUrl");
      expect(mine.liveViewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\//);
      const ids = async (client: typeof alice) =>
        ((await client.listSessions({ status: "active" })).sessions ?? []).map((session) => session.id);
      expect(await ids(alice)).toEqual([mine.id]);
      expect(await ids(bob)).toEqual([theirs.id]);
      for (const attempt of [bob.execute(mine.id ?? "", { code: "1" }), bob.deleteSession(mine.id ?? "")]) {
        const error = await attempt.catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InteractApiError);
        expect([(error as InteractApiError).status, (error as InteractApiError).message]).toEqual([
          404,
          "Browser session not found.",
        ]);
      }
      const run = await alice.execute(mine.id ?? "", { code: "console.log(1 + 1)" });
      expect([run.stdout, JSON.stringify(run).includes("cdpUrl")]).toEqual(["2\n", false]);
    } finally {
      await alice.deleteSession(mine.id ?? "");
      await bob.deleteSession(theirs.id ?? "");
    }
  });

  it("passes the emulator's 429 and Retry-After through", async () => {
    emulator.injectFault({ operationId: "createBrowserSession", status: 429, retryAfter: 9 });
    const response = await fetch(`${origin}/api/firecrawl/interact`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-user": "alice" },
      body: "{}",
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("9");
    expect(((await response.json()) as { success: boolean }).success).toBe(false);
  });

  it("answers 502 JSON when the emulator drops the connection", async () => {
    emulator.injectFault({ operationId: "listBrowserSessions", drop: true });
    const response = await fetch(`${origin}/api/firecrawl/interact`, { headers: { "x-user": "alice" } });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      success: false,
      code: "upstream_unreachable",
      error: "Could not reach the interact API",
    });
  });

  it("passes the emulator's 401 through when the proxy holds the wrong key, without either key", async () => {
    const wrong = createInteractMiddleware({ apiKey: "fc-wrong-key-0000", baseUrl: emulator.url, passThrough: true });
    const wrongServer = createServer(wrong);
    await new Promise<void>((resolve) => wrongServer.listen(0, "127.0.0.1", resolve));
    try {
      const port = (wrongServer.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/api/firecrawl/interact`);
      const text = await response.text();
      expect(response.status).toBe(401);
      expect(text).not.toContain("fc-wrong-key-0000");
      expect(text).not.toContain(EMULATOR_KEY);
    } finally {
      wrongServer.closeAllConnections();
      await new Promise<void>((resolve) => wrongServer.close(() => resolve()));
    }
  });
});
