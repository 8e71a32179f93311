import { describe, expect, it } from "vitest";
import { createInteractHandler, type InteractHandlerOptions } from "./handler.js";
import { createMemoryOwnerStore, type OwnerStore } from "./owners.js";
import { FAKE_KEY, fakeUpstream, proxyRequest, type UpstreamCallRecord } from "./test-helpers/fake-upstream.js";

// Two signed-in users of one app behind one proxy, against an upstream that keeps sessions like Firecrawl does.

const UPSTREAM = "https://api.firecrawl.dev/v2";
const JOB = "3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b";
const NOT_FOUND = { success: false, code: "not_found", error: "Browser session not found." };

/** An upstream with sessions: create numbers them, list shows them all (it has one key), delete ends them. */
function statefulUpstream() {
  const sessions = new Map<string, Record<string, unknown>>();
  let next = 0;
  return fakeUpstream((call: UpstreamCallRecord) => {
    const path = call.url.slice(UPSTREAM.length).split("?")[0] as string;
    if (call.method === "POST" && path === "/interact") {
      const id = `0000000${++next}-aaaa-4bbb-8ccc-dddddddddddd`;
      const session = {
        id,
        cdpUrl: `wss://cdp.example/${id}?token=t`,
        liveViewUrl: `https://live.example/${id}?token=r`,
        interactiveLiveViewUrl: `https://live.example/${id}?token=w`,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      };
      sessions.set(id, session);
      return { json: { success: true, ...session } };
    }
    if (call.method === "GET" && path === "/interact") {
      return { json: { success: true, sessions: [...sessions.values()].map((s) => ({ ...s, status: "active" })) } };
    }
    if (path.startsWith("/scrape/")) {
      return {
        json: { success: true, result: "1", cdpUrl: "wss://cdp.example/scrape", liveViewUrl: "https://live.example/s" },
      };
    }
    const id = /^\/interact\/([^/]+)/.exec(path)?.[1] ?? "";
    if (!sessions.has(id)) return { status: 404, json: { success: false, error: "Browser session not found." } };
    if (call.method === "DELETE") {
      sessions.delete(id);
      return { json: { success: true } };
    }
    if (call.method === "GET") return { json: { success: true, ...sessions.get(id), status: "running" } };
    return { json: { success: true, stdout: `ran in ${id}`, cdpUrl: `wss://cdp.example/${id}`, exitCode: 0 } };
  });
}

/** One proxy for the app; the `x-user` header stands in for its session cookie. */
function app(options: Partial<InteractHandlerOptions> = {}) {
  const upstream = statefulUpstream();
  const handler = createInteractHandler({
    apiKey: FAKE_KEY,
    fetch: upstream.fetch,
    limits: { allowExecute: true, allowScrapeInteract: true },
    authorize: (request) => {
      const user = request.headers.get("x-user");
      return user ? { userId: user } : false;
    },
    ...options,
  });
  const as = (user: string) => ({
    create: async () =>
      (await handler(proxyRequest("/api/firecrawl/interact", { json: {}, headers: { "x-user": user } }))).json(),
    list: () => handler(proxyRequest("/api/firecrawl/interact", { headers: { "x-user": user } })),
    execute: (id: string) =>
      handler(
        proxyRequest(`/api/firecrawl/interact/${id}/execute`, { json: { code: "1" }, headers: { "x-user": user } }),
      ),
    status: (id: string) => handler(proxyRequest(`/api/firecrawl/interact/${id}`, { headers: { "x-user": user } })),
    remove: (id: string) =>
      handler(proxyRequest(`/api/firecrawl/interact/${id}`, { method: "DELETE", headers: { "x-user": user } })),
    scrape: (method: "POST" | "DELETE") =>
      handler(
        proxyRequest(`/api/firecrawl/scrape/${JOB}/interact`, {
          method,
          json: method === "POST" ? { code: "1" } : undefined,
          headers: { "x-user": user },
        }),
      ),
  });
  return { handler, upstream, alice: as("alice"), bob: as("bob") };
}

describe("configuration", () => {
  it("refuses a proxy that can't tell users apart", () => {
    expect(() => createInteractHandler({ apiKey: FAKE_KEY })).toThrow(
      new TypeError(
        "firecrawl-interact: name each caller with authorize (return { userId }) so users can't reach each other's " +
          "sessions, or set passThrough: true for a single-user tool",
      ),
    );
  });

  it("answers 500 with no upstream call when authorize admits a caller without naming it", async () => {
    const { upstream } = app();
    const handler = createInteractHandler({ apiKey: FAKE_KEY, fetch: upstream.fetch, authorize: () => true });
    const response = await handler(proxyRequest("/api/firecrawl/interact", { json: {} }));
    expect(response.status).toBe(500);
    expect(await response.json()).toStrictEqual({
      success: false,
      code: "internal_error",
      error: "authorize must return { userId } (or the proxy set passThrough)",
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([[""], ["x".repeat(257)]])("answers 500 for the user id %j", async (userId) => {
    const { upstream } = app();
    const handler = createInteractHandler({ apiKey: FAKE_KEY, fetch: upstream.fetch, authorize: () => ({ userId }) });
    expect((await handler(proxyRequest("/api/firecrawl/interact", { json: {} }))).status).toBe(500);
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 401 when authorize names nobody", async () => {
    const { handler, upstream } = app();
    const response = await handler(proxyRequest("/api/firecrawl/interact", { json: {} }));
    expect(response.status).toBe(401);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("sessions belong to the user who created them", () => {
  it("hands out a signed id, no cdpUrl, and both live-view URLs", async () => {
    const { alice, upstream } = app();
    const session = await alice.create();
    expect(session.id).toMatch(/^00000001-aaaa-4bbb-8ccc-dddddddddddd-[0-9a-f]{32}$/);
    expect(Object.keys(session).sort()).toEqual([
      "expiresAt",
      "id",
      "interactiveLiveViewUrl",
      "liveViewUrl",
      "success",
    ]);
    expect(upstream.calls.map((call) => [call.method, call.url])).toEqual([["POST", `${UPSTREAM}/interact`]]);
  });

  it("lets the owner execute and delete with its id, sending upstream the real one", async () => {
    const { alice, upstream } = app();
    const { id } = await alice.create();
    const run = await alice.execute(id);
    expect(run.status).toBe(200);
    expect(await run.json()).toStrictEqual({
      success: true,
      stdout: "ran in 00000001-aaaa-4bbb-8ccc-dddddddddddd",
      exitCode: 0,
    });
    expect((await alice.remove(id)).status).toBe(200);
    expect(upstream.calls.map((call) => [call.method, call.url])).toEqual([
      ["POST", `${UPSTREAM}/interact`],
      ["POST", `${UPSTREAM}/interact/00000001-aaaa-4bbb-8ccc-dddddddddddd/execute`],
      ["DELETE", `${UPSTREAM}/interact/00000001-aaaa-4bbb-8ccc-dddddddddddd`],
    ]);
  });

  it.each([
    ["alice's own id", (id: string) => id],
    ["the upstream id behind it", (id: string) => id.slice(0, -33)],
    ["a forged signature", (id: string) => `${id.slice(0, -32)}${"0".repeat(32)}`],
  ])("answers bob 404 on %s, with no upstream call, and alice's session lives on", async (_name, pick) => {
    const { alice, bob, upstream } = app();
    const { id } = await alice.create();
    for (const response of [await bob.execute(pick(id)), await bob.remove(pick(id))]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toStrictEqual(NOT_FOUND);
    }
    expect(upstream.calls).toHaveLength(1);
    expect((await alice.execute(id)).status).toBe(200);
  });

  it("gives the owner its session's status under its own handle, without the server-only URLs; bob gets 404", async () => {
    const { alice, bob, upstream } = app();
    const session = await alice.create();
    const status = await alice.status(session.id);
    expect(status.status).toBe(200);
    expect(await status.json()).toStrictEqual({
      success: true,
      id: session.id,
      status: "running",
      liveViewUrl: session.liveViewUrl,
      interactiveLiveViewUrl: session.interactiveLiveViewUrl,
      expiresAt: session.expiresAt,
    });
    const other = await bob.status(session.id);
    expect([other.status, await other.json()]).toStrictEqual([404, NOT_FOUND]);
    expect(upstream.calls.map((call) => [call.method, call.url])).toEqual([
      ["POST", `${UPSTREAM}/interact`],
      ["GET", `${UPSTREAM}/interact/00000001-aaaa-4bbb-8ccc-dddddddddddd`],
    ]);
  });

  it("holds across instances that share only the key, as serverless functions do", async () => {
    const first = app();
    const { id } = await first.alice.create();
    const second = createInteractHandler({
      apiKey: FAKE_KEY,
      fetch: first.upstream.fetch,
      limits: { allowExecute: true },
      authorize: (request) => ({ userId: request.headers.get("x-user") ?? "" }),
    });
    const run = (user: string) =>
      second(
        proxyRequest(`/api/firecrawl/interact/${id}/execute`, { json: { code: "1" }, headers: { "x-user": user } }),
      );
    expect((await run("alice")).status).toBe(200);
    expect((await run("bob")).status).toBe(404);
  });

  it("signs with the secret option when given, so a handle from the key's signature is refused", async () => {
    const keyed = app();
    const { id } = await keyed.alice.create();
    const secreted = app({ secret: "another-server-secret", fetch: keyed.upstream.fetch });
    expect((await secreted.alice.execute(id)).status).toBe(404);
    const own = await secreted.alice.create();
    expect((await secreted.alice.execute(own.id)).status).toBe(200);
  });
});

describe("listing needs an owner store", () => {
  it("answers 501 without one, with no upstream call", async () => {
    const { alice, upstream } = app();
    const response = await alice.list();
    expect(response.status).toBe(501);
    expect(await response.json()).toStrictEqual({
      success: false,
      code: "owner_store_required",
      error: "Listing sessions per user needs an owner store: pass `store` to the interact proxy",
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it("lists each user's own sessions only, by their handles, without cdpUrl", async () => {
    const { alice, bob } = app({ store: createMemoryOwnerStore() });
    const a1 = await alice.create();
    const b1 = await bob.create();
    const a2 = await alice.create();
    const ids = async (response: Response) => {
      const body = await response.json();
      expect(JSON.stringify(body)).not.toContain("cdpUrl");
      return body.sessions.map((session: { id: string }) => session.id);
    };
    expect(await ids(await alice.list())).toEqual([a1.id, a2.id]);
    expect(await ids(await bob.list())).toEqual([b1.id]);
    expect((await alice.remove(a1.id)).status).toBe(200);
    expect(await ids(await alice.list())).toEqual([a2.id]);
  });
});

describe("scrape interactions", () => {
  it("answer 501 without an owner store, with no upstream call", async () => {
    const { alice, upstream } = app();
    const response = await alice.scrape("POST");
    expect(response.status).toBe(501);
    expect((await response.json()).code).toBe("owner_store_required");
    expect(upstream.calls).toHaveLength(0);
  });

  it("are forwarded for the scrape's owner only", async () => {
    const store: OwnerStore = createMemoryOwnerStore();
    await store.add("alice", "scrape", JOB, Date.now() + 60_000);
    const { alice, bob, upstream } = app({ store });
    for (const method of ["POST", "DELETE"] as const) {
      const response = await bob.scrape(method);
      expect(response.status).toBe(404);
      expect(await response.json()).toStrictEqual({ success: false, code: "not_found", error: "Job not found." });
    }
    expect(upstream.calls).toHaveLength(0);
    const run = await alice.scrape("POST");
    expect(run.status).toBe(200);
    expect(await run.json()).toStrictEqual({ success: true, result: "1", liveViewUrl: "https://live.example/s" });
    expect(upstream.calls.map((call) => call.url)).toEqual([`${UPSTREAM}/scrape/${JOB}/interact`]);
  });
});

describe("what the limits keep on the server", () => {
  it("passes cdpUrl only with exposeCdpUrl", async () => {
    const { alice } = app({ limits: { exposeCdpUrl: true } });
    expect((await alice.create()).cdpUrl).toMatch(/^wss:\/\/cdp\.example\//);
  });

  it("drops the interactive live view with allowInteractiveLiveView: false", async () => {
    const { alice } = app({ limits: { allowInteractiveLiveView: false } });
    const session = await alice.create();
    expect(session.interactiveLiveViewUrl).toBeUndefined();
    expect(session.liveViewUrl).toMatch(/token=r$/);
  });

  it("keeps cdpUrl out of pass-through answers too", async () => {
    const upstream = statefulUpstream();
    const handler = createInteractHandler({ apiKey: FAKE_KEY, fetch: upstream.fetch, passThrough: true });
    await handler(proxyRequest("/api/firecrawl/interact", { json: {} }));
    const list = await (await handler(proxyRequest("/api/firecrawl/interact"))).json();
    expect(list.sessions).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain("cdpUrl");
    expect(list.sessions[0].id).toBe("00000001-aaaa-4bbb-8ccc-dddddddddddd");
  });

  it.each([["exposeCdpUrl"], ["allowInteractiveLiveView"]])("refuses a %s that is not a boolean", (name) => {
    expect(() => app({ limits: { [name]: "false" } as never })).toThrow(
      new TypeError(`firecrawl-interact: limits.${name} must be a boolean (got string)`),
    );
  });
});
