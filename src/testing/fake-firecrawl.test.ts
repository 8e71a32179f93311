import { afterEach, describe, expect, it, vi } from "vitest";
import { InteractApiError } from "../core/errors.js";
import { createFakeFirecrawl } from "./fake-firecrawl.js";

afterEach(() => {
  vi.useRealTimers();
});

const body = async (response: Response) => ({ status: response.status, body: await response.json() });

describe("createFakeFirecrawl: sessions", () => {
  it("expires on vi.useFakeTimers(): ttl and activityTtl run on Date.now(), read per call", async () => {
    vi.useFakeTimers({ now: Date.parse("2030-01-01T00:00:00.000Z") });
    const fake = createFakeFirecrawl();
    const short = await fake.client.createSession({ ttl: 60 });
    const idle = await fake.client.createSession({ activityTtl: 20 });
    expect(short.expiresAt).toBe("2030-01-01T00:01:00.000Z");
    vi.advanceTimersByTime(19_999);
    expect(fake.sessions("active").map((s) => s.id)).toEqual([short.id, idle.id]);
    vi.advanceTimersByTime(1);
    expect(fake.sessions("destroyed").map((s) => [s.id, s.endReason, s.endedAt])).toEqual([
      [idle.id, "idle", Date.parse("2030-01-01T00:00:20.000Z")],
    ]);
    vi.advanceTimersByTime(40_000);
    const [ended] = fake.sessions("destroyed");
    expect(fake.sessions().map((s) => [s.id, s.status, s.endReason])).toEqual([
      [short.id, "destroyed", "expired"],
      [idle.id, "destroyed", "idle"],
    ]);
    expect(ended?.endedAt).toBe(Date.parse("2030-01-01T00:01:00.000Z"));
    await expect(fake.client.execute(short.id as string, { code: "1" })).rejects.toMatchObject({
      status: 410,
      code: "session_destroyed",
      body: {
        success: false,
        code: "session_destroyed",
        error: "Session already destroyed",
        details: { reason: "expired" },
      },
    });
  });

  it("answers Retry-After as the seconds until the soonest session ends by itself", async () => {
    let now = 1_000_000;
    const fake = createFakeFirecrawl({ maxSessions: 2, now: () => now });
    await fake.client.createSession({ ttl: 600 });
    await fake.client.createSession({ ttl: 45, activityTtl: 3600 });
    now += 10_500;
    const error = await fake.client.createSession().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InteractApiError);
    expect(error).toMatchObject({ status: 429, code: "too_many_sessions", retryAfterMs: 35_000 });
  });

  it("gives a session without a live view empty URLs, and refuses a second saving session on one profile (409)", async () => {
    const fake = createFakeFirecrawl();
    const dark = await fake.client.createSession({ streamWebView: false, profile: { name: "shop" } });
    expect(dark).toMatchObject({ liveViewUrl: "", interactiveLiveViewUrl: "" });
    expect(dark.cdpUrl).toMatch(/^wss:\/\/fake-firecrawl\.test\/cdp\/[0-9a-f-]{36}\?token=[\w-]{24}$/);
    await expect(fake.client.createSession({ profile: { name: "shop" } })).rejects.toMatchObject({
      status: 409,
      code: "profile_busy",
      message: 'Profile "shop" already has a saving session; end it or use saveChanges: false',
    });
    await expect(fake.client.createSession({ profile: { name: "shop", saveChanges: false } })).resolves.toMatchObject({
      success: true,
    });
  });

  it("lists entries in the emulator's shape, oldest first", async () => {
    const fake = createFakeFirecrawl({ now: () => Date.parse("2030-01-01T00:00:00.000Z") });
    const created = await fake.client.createSession();
    expect(await fake.client.listSessions()).toEqual({
      success: true,
      sessions: [
        {
          id: created.id,
          status: "active",
          cdpUrl: created.cdpUrl,
          liveViewUrl: created.liveViewUrl,
          interactiveLiveViewUrl: created.interactiveLiveViewUrl,
          streamWebView: true,
          createdAt: "2030-01-01T00:00:00.000Z",
          lastActivity: "2030-01-01T00:00:00.000Z",
        },
      ],
    });
    expect(created.interactiveLiveViewUrl).toMatch(
      /^https:\/\/fake-firecrawl\.test\/live\/.+\?token=[\w-]+&interactive=true$/,
    );
  });
});

describe("createFakeFirecrawl: runs", () => {
  it("answers execute from handlers: per session over per code table over the default", async () => {
    const fake = createFakeFirecrawl({ onExecute: { "await page.title()": { result: "Shop" } } });
    const [a, b] = [await fake.client.createSession(), await fake.client.createSession()];
    fake.onExecute(({ code, language, timeout }) => ({ stdout: `${language} ${timeout}: ${code}` }), b.id);
    expect(await fake.client.execute(a.id as string, { code: "await page.title()" })).toEqual({
      success: true,
      stdout: "",
      result: "Shop",
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    });
    expect((await fake.client.execute(a.id as string, { code: "other" })).result).toBeNull();
    const run = await fake.client.execute(b.id as string, { code: "ls", language: "bash", timeout: 5 });
    expect(run.stdout).toBe("bash 5: ls");
  });

  it("answers a handler that throws with a 500 internal_error naming what it threw", async () => {
    const fake = createFakeFirecrawl({
      onExecute: () => {
        throw new Error("no answer for this code in the test");
      },
    });
    const { id } = await fake.client.createSession();
    await expect(fake.client.execute(id as string, { code: "1" })).rejects.toMatchObject({
      status: 500,
      code: "internal_error",
      message: "no answer for this code in the test",
    });
  });

  it("counts an execute as activity: lastActivity moves, idle expiry waits", async () => {
    let now = 0;
    const fake = createFakeFirecrawl({ now: () => now });
    const { id } = await fake.client.createSession({ activityTtl: 10 });
    now = 9_000;
    await fake.client.execute(id as string, { code: "1" });
    now = 18_000;
    expect(fake.sessions()[0]).toMatchObject({ status: "active", lastActivity: 9_000 });
    now = 19_000;
    expect(fake.sessions()[0]).toMatchObject({ status: "destroyed", endReason: "idle", endedAt: 19_000 });
  });
});

describe("createFakeFirecrawl: scrape", () => {
  it("answers the requested formats from the registered page, with a scrapeId getScrape and interact accept", async () => {
    const fake = createFakeFirecrawl({
      pages: {
        "https://shop.example/": {
          html: "<h1>Shop</h1>",
          markdown: "# Shop",
          title: "Shop",
          links: ["https://shop.example/cart"],
        },
      },
      onExecute: ({ scrapeId }) => ({ result: scrapeId ?? "none" }),
    });
    const scraped = await body(
      await fake.fetch(`${fake.baseUrl}/scrape`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          url: "https://shop.example",
          formats: ["markdown", { type: "html" }, "links", "summary"],
        }),
      }),
    );
    const scrapeId = scraped.body.data.metadata.scrapeId;
    expect(scraped).toEqual({
      status: 200,
      body: {
        success: true,
        data: {
          markdown: "# Shop",
          html: "<h1>Shop</h1>",
          links: ["https://shop.example/cart"],
          metadata: {
            title: "Shop",
            sourceURL: "https://shop.example/",
            url: "https://shop.example/",
            statusCode: 200,
            scrapeId,
          },
        },
      },
    });
    expect(await body(await fake.fetch(`${fake.baseUrl}/scrape/${scrapeId}`))).toEqual(scraped);
    const run = await fake.client.interact(scrapeId, { code: "await page.title()" });
    expect(run).toMatchObject({ success: true, output: null, result: scrapeId });
    expect(fake.sessions()).toMatchObject([{ scrapeId, status: "active", liveViewUrl: run.liveViewUrl }]);
  });

  it("answers 502 upstream_unreachable for a URL with no registered page", async () => {
    const fake = createFakeFirecrawl();
    const answer = await body(
      await fake.fetch(`${fake.baseUrl}/scrape`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: "https://nowhere.example/" }),
      }),
    );
    expect(answer).toEqual({
      status: 502,
      body: {
        success: false,
        code: "upstream_unreachable",
        error:
          "Could not load https://nowhere.example/: no page registered for this URL (fake.addPage(url, { html, markdown }))",
      },
    });
  });

  it("answers prompts with onPrompt per scrape over the global one; a string is the output", async () => {
    const fake = createFakeFirecrawl({ onPrompt: () => "global" });
    fake.addPage("https://a.example/", { markdown: "a" });
    const scrape = async () => {
      const response = await fake.fetch(`${fake.baseUrl}/scrape`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: "https://a.example/" }),
      });
      return ((await response.json()) as { data: { metadata: { scrapeId: string } } }).data.metadata.scrapeId;
    };
    const [first, second] = [await scrape(), await scrape()];
    fake.onPrompt({ "Open pricing": { output: "Opened", result: "{}" } }, second);
    expect(await fake.client.interact(first, { prompt: "Open pricing" })).toMatchObject({
      output: "global",
      exitCode: 0,
    });
    expect(await fake.client.interact(second, { prompt: "Open pricing" })).toMatchObject({
      output: "Opened",
      result: "{}",
    });
    expect(await fake.client.interact(second, { prompt: "Other" })).toMatchObject({ output: "" });
  });
});

describe("createFakeFirecrawl: ways in, faults and the record", () => {
  it("accepts any caller without apiKey and only the key with one (401 otherwise)", async () => {
    const open = createFakeFirecrawl();
    expect((await open.fetch(`${open.baseUrl}/interact`)).status).toBe(200);
    const keyed = createFakeFirecrawl({ apiKey: "fc-test" });
    expect((await keyed.fetch(`${keyed.baseUrl}/interact`)).status).toBe(401);
    expect((await keyed.client.listSessions()).success).toBe(true);
  });

  it("answers at a relative baseUrl (an app's proxy path) on any origin; other paths are 404", async () => {
    const fake = createFakeFirecrawl({ baseUrl: "/api/firecrawl/" });
    expect(fake.baseUrl).toBe("/api/firecrawl");
    expect((await fake.fetch("http://app.test/api/firecrawl/interact")).status).toBe(200);
    expect(await body(await fake.fetch("http://app.test/api/other/interact"))).toEqual({
      status: 404,
      body: { success: false, code: "not_found", error: "No route for GET /api/other/interact" },
    });
  });

  it("delays, fails and drops calls as injected, in order, then answers normally; clearFaults drops the rest", async () => {
    vi.useFakeTimers();
    const fake = createFakeFirecrawl();
    fake.injectFault({ operationId: "createBrowserSession", delayMs: 1000 });
    fake.injectFault({
      operationId: "createBrowserSessionAlias",
      status: 429,
      count: 2,
      retryAfter: 3,
      error: "Slow down",
    });
    const slow = fake.client.createSession();
    let settled = false;
    void slow.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await slow).toMatchObject({ success: true });
    // A fault on the alias hits only /browser; one on the canonical id would hit both.
    expect((await fake.client.createSession()).success).toBe(true);
    const alias = () =>
      fake.fetch(`${fake.baseUrl}/browser`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
    const slowDown = { success: false, code: "rate_limited", error: "Slow down" };
    for (const _ of [1, 2]) {
      const answer = await alias();
      expect([answer.status, answer.headers.get("retry-after"), await answer.json()]).toEqual([429, "3", slowDown]);
    }
    expect((await alias()).status).toBe(200);
    fake.injectFault({ operationId: "createBrowserSession", status: 502 });
    expect((await alias()).status).toBe(502);
    fake.injectFault({ operationId: "listBrowserSessions", drop: true });
    await expect(fake.client.listSessions()).rejects.toMatchObject({ status: 0, code: "network_error" });
    fake.clearFaults();
    expect((await fake.client.createSession()).success).toBe(true);
    expect(() => fake.injectFault({ operationId: "nope", status: 500 })).toThrow(
      /^injectFault: operationId must be one of /,
    );
    expect(() => fake.injectFault({ operationId: "listBrowserSessions" })).toThrow(
      "injectFault: a fault needs a status, a delayMs or drop: true",
    );
  });

  it("records every request with its operation, params, body and status", async () => {
    const fake = createFakeFirecrawl({ now: () => 42 });
    const { id } = await fake.client.createSession({ ttl: 60 });
    await fake.client.deleteSession(id as string).catch(() => undefined);
    await fake.client.deleteSession(id as string).catch(() => undefined);
    expect(
      fake.requests.map(({ method, path, operationId, params, body, status, at }) => ({
        method,
        path,
        operationId,
        params,
        body,
        status,
        at,
      })),
    ).toEqual([
      {
        method: "POST",
        path: "/interact",
        operationId: "createBrowserSession",
        params: {},
        body: { ttl: 60 },
        status: 200,
        at: 42,
      },
      {
        method: "DELETE",
        path: `/interact/${id}`,
        operationId: "deleteBrowserSession",
        params: { sessionId: id },
        body: undefined,
        status: 200,
        at: 42,
      },
      {
        method: "DELETE",
        path: `/interact/${id}`,
        operationId: "deleteBrowserSession",
        params: { sessionId: id },
        body: undefined,
        status: 410,
        at: 42,
      },
    ]);
  });

  it("answers 415 for a body that is not JSON, before routing (as the emulator)", async () => {
    const fake = createFakeFirecrawl();
    const answer = await fake.fetch(`${fake.baseUrl}/nothing`, { method: "POST", body: "ttl=60" });
    expect(await body(answer)).toEqual({
      status: 415,
      body: { success: false, code: "unsupported_media_type", error: "Request body must be sent as application/json" },
    });
  });
});
