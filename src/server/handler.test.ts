import { afterEach, describe, expect, it, vi } from "vitest";
import { type AuthorizeContext, createInteractHandler } from "./handler.js";
import { FAKE_KEY, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

const UPSTREAM = "https://api.firecrawl.dev/v2";

const created = {
  success: true,
  id: "sess_1",
  cdpUrl: "wss://cdp.example/sess_1?token=t",
  liveViewUrl: "https://live.example/sess_1",
  interactiveLiveViewUrl: "https://live.example/sess_1?interactive=true",
  expiresAt: "2026-01-01T00:05:00.000Z",
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("forwarding", () => {
  it("forwards create with the server key, only allow-listed headers, and mirrors the answer but its cdpUrl", async () => {
    const upstream = fakeUpstream(() => ({ json: created, headers: { "set-cookie": "a=b", "x-request-id": "r1" } }));
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(
      proxyRequest("/api/firecrawl/interact", {
        json: { ttl: 60, streamWebView: true },
        headers: {
          authorization: "Bearer browser-token",
          cookie: "session=abc",
          "x-forwarded-for": "10.0.0.1",
          "x-api-key": "other",
          "user-agent": "test-agent",
          "accept-language": "de",
        },
      }),
    );
    expect(upstream.calls).toHaveLength(1);
    const [call] = upstream.calls;
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe(`${UPSTREAM}/interact`);
    expect(call?.headers).toEqual({
      accept: "application/json",
      "accept-language": "de",
      authorization: `Bearer ${FAKE_KEY}`,
      "content-type": "application/json",
      "user-agent": "test-agent",
    });
    expect(call?.body).toEqual({ ttl: 60, streamWebView: true });
    expect(response.status).toBe(200);
    const { cdpUrl: _serverOnly, ...forBrowser } = created;
    expect(await response.json()).toStrictEqual(forBrowser);
    expect(Object.fromEntries(response.headers)).toEqual({
      "cache-control": "no-store",
      "content-type": "application/json",
      "x-content-type-options": "nosniff",
      "x-request-id": "r1",
    });
  });

  it.each([
    ["GET", "/api/firecrawl/interact", undefined, "GET", `${UPSTREAM}/interact`],
    ["GET", "/api/firecrawl/interact?status=active", undefined, "GET", `${UPSTREAM}/interact?status=active`],
    ["GET", "/api/firecrawl/interact?status=destroyed", undefined, "GET", `${UPSTREAM}/interact?status=destroyed`],
    ["GET", "/api/firecrawl/interact?status=error", undefined, "GET", `${UPSTREAM}/interact?status=error`],
    ["DELETE", "/api/firecrawl/interact/sess_1", undefined, "DELETE", `${UPSTREAM}/interact/sess_1`],
    ["POST", "/api/firecrawl/interact/sess-2/execute", { code: "1" }, "POST", `${UPSTREAM}/interact/sess-2/execute`],
    ["POST", "/api/firecrawl/browser", {}, "POST", `${UPSTREAM}/browser`],
    ["GET", "/api/firecrawl/browser?status=active", undefined, "GET", `${UPSTREAM}/browser?status=active`],
    ["POST", "/api/firecrawl/browser/s/execute", { code: "1" }, "POST", `${UPSTREAM}/browser/s/execute`],
    ["DELETE", "/api/firecrawl/browser/s", undefined, "DELETE", `${UPSTREAM}/browser/s`],
  ])("%s %s → upstream %s %s", async (method, path, json, upstreamMethod, upstreamUrl) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowExecute: true },
    });
    const response = await handler(proxyRequest(path, { method, json }));
    expect(response.status).toBe(200);
    expect(upstream.calls.map((call) => [call.method, call.url, call.body])).toEqual([
      [upstreamMethod, upstreamUrl, json],
    ]);
    expect(upstream.calls[0]?.headers["content-type"]).toBe(json === undefined ? undefined : "application/json");
  });

  it("sends an empty create body as {} and drops properties the spec does not declare", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowProfiles: true },
    });
    await handler(
      proxyRequest("/api/firecrawl/interact", { body: "", headers: { "content-type": "application/json" } }),
    );
    await handler(
      proxyRequest("/api/firecrawl/interact", {
        json: {
          ttl: 90,
          proxy: "residential",
          recordSession: false,
          integration: "my-app",
          profile: { name: "p", saveChanges: false, path: "/etc" },
        },
      }),
    );
    expect(upstream.calls.map((call) => call.body)).toEqual([
      {},
      { ttl: 90, recordSession: false, integration: "my-app", profile: { name: "p", saveChanges: false } },
    ]);
  });

  it("honours a custom basePath and a baseUrl with a trailing slash", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      basePath: "/proxy/",
      baseUrl: "http://127.0.0.1:9/v2/",
    });
    expect((await handler(proxyRequest("/proxy/interact"))).status).toBe(200);
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(404);
    expect(upstream.calls.map((call) => call.url)).toEqual(["http://127.0.0.1:9/v2/interact"]);
  });

  it("always calls the configured upstream, whatever host the browser addressed", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    await handler(proxyRequest("http://evil.example/api/firecrawl/interact", { headers: { host: "evil.example" } }));
    expect(upstream.calls.map((call) => call.url)).toEqual([`${UPSTREAM}/interact`]);
  });

  it("passes the browser's abort signal upstream", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const aborter = new AbortController();
    await handler(new Request("http://app.test/api/firecrawl/interact", { signal: aborter.signal }));
    expect(upstream.calls[0]?.signal.aborted).toBe(false);
    aborter.abort();
    expect(upstream.calls[0]?.signal.aborted).toBe(true);
  });
});

describe("upstream answers", () => {
  it.each([
    [401, { success: false, error: "Unauthorized: Invalid token" }, {}],
    [402, { success: false, error: "Payment required" }, {}],
    [403, { success: false, error: "Forbidden", code: "forbidden" }, {}],
    [404, { success: false, error: "Session not found" }, {}],
    [409, { success: false, error: "Profile busy", code: "profile_busy" }, {}],
    [410, { success: false, error: "Session already destroyed" }, {}],
    [429, { success: false, error: "Too many sessions", code: "rate_limited" }, { "retry-after": "7" }],
    [500, { success: false, error: "boom" }, {}],
    [502, { success: false, error: "Browser failed" }, {}],
    [504, { success: false, error: "Browser timed out" }, { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }],
  ])("passes %i, its JSON body and Retry-After through", async (status, json, headers) => {
    const upstream = fakeUpstream(() => ({ status, json, headers: { ...headers, "set-cookie": "x=1" } }));
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(proxyRequest("/api/firecrawl/interact", { json: {} }));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(json);
    expect(response.headers.get("retry-after")).toBe((headers as Record<string, string>)["retry-after"] ?? null);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it.each([
    ["an HTML error page keeps its status and Retry-After", 503, "<html>down</html>", { "retry-after": "3" }, 503, "3"],
    ["a non-JSON success becomes 502", 200, "ok", {}, 502, null],
    ["a redirect becomes 502", 302, "", { location: "https://elsewhere.example/" }, 502, null],
  ])("%s", async (_name, status, text, headers, expectedStatus, retryAfter) => {
    const upstream = fakeUpstream(() => ({ status, text, headers }));
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(proxyRequest("/api/firecrawl/interact"));
    expect(response.status).toBe(expectedStatus);
    expect(response.headers.get("retry-after")).toBe(retryAfter);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.json()).toEqual({
      success: false,
      code: "invalid_upstream_response",
      error: `The interact API answered ${status} without JSON`,
    });
  });

  it("passes an empty error body through with its status", async () => {
    const upstream = fakeUpstream(() => ({ status: 404, text: "" }));
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      proxyRequest("/api/firecrawl/interact/nope", { method: "DELETE" }),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("");
  });

  it("answers 502 JSON when upstream is unreachable, without the cause", async () => {
    const upstream = fakeUpstream(() => ({ networkError: new TypeError(`connect ECONNREFUSED (key ${FAKE_KEY})`) }));
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(proxyRequest("/api/firecrawl/interact", { json: {} }));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      success: false,
      code: "upstream_unreachable",
      error: "Could not reach the interact API",
    });
    expect(upstream.calls).toHaveLength(1);
  });
});

describe("authorize", () => {
  it("answers 401 without an upstream call when authorize says no", async () => {
    const upstream = fakeUpstream();
    const authorize = vi.fn(async (_request: Request, _context: AuthorizeContext) => false);
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch, authorize });
    const response = await handler(proxyRequest("/api/firecrawl/interact/s1", { method: "DELETE" }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      success: false,
      code: "unauthorized",
      error: "Not authorized to use the interact API",
    });
    expect(upstream.calls).toHaveLength(0);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0]?.[1]).toStrictEqual({
      operationId: "deleteBrowserSession",
      sessionId: "s1",
      jobId: undefined,
    });
  });

  it("forwards when authorize says yes, and is not asked about unknown paths", async () => {
    const upstream = fakeUpstream();
    const authorize = vi.fn((_request: Request, _context: AuthorizeContext) => true);
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch, authorize });
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(200);
    expect((await handler(proxyRequest("/api/firecrawl/crawl"))).status).toBe(404);
    expect(authorize.mock.calls.map((args) => args[1])).toStrictEqual([
      { operationId: "listBrowserSessions", sessionId: undefined, jobId: undefined },
    ]);
    expect(upstream.calls).toHaveLength(1);
  });

  it("answers a generic 500 when authorize throws, never its message", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      authorize: () => {
        throw new Error(`db down, key ${FAKE_KEY}`);
      },
    });
    const response = await handler(proxyRequest("/api/firecrawl/interact"));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      success: false,
      code: "internal_error",
      error: "The interact proxy failed",
    });
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("without an API key", () => {
  const MISSING_KEY = {
    success: false,
    code: "missing_api_key",
    error: "FIRECRAWL_API_KEY is not set: the interact proxy has no API key",
  };

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("builds with FIRECRAWL_API_KEY unset and answers forwarded requests with the missing_api_key 500", async () => {
    vi.stubEnv("FIRECRAWL_API_KEY", undefined);
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, fetch: upstream.fetch });
    for (const json of [undefined, { ttl: 60 }]) {
      const response = await handler(proxyRequest("/api/firecrawl/interact", { json }));
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual(MISSING_KEY);
    }
    expect(upstream.calls).toHaveLength(0);
  });

  it("reads FIRECRAWL_API_KEY per request, so a key set after the handler was built is used", async () => {
    vi.stubEnv("FIRECRAWL_API_KEY", undefined);
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, fetch: upstream.fetch });
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(500);
    vi.stubEnv("FIRECRAWL_API_KEY", FAKE_KEY);
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(200);
    expect(upstream.calls.map((call) => call.headers.authorization)).toEqual([`Bearer ${FAKE_KEY}`]);
  });

  it.each([
    ["an empty string", ""],
    ["blanks", "  "],
    ["a function returning undefined", () => undefined],
    ["a function returning an empty string", () => ""],
  ])("treats %s as no key, even with FIRECRAWL_API_KEY set", async (_label, apiKey) => {
    vi.stubEnv("FIRECRAWL_API_KEY", FAKE_KEY);
    const upstream = fakeUpstream();
    const response = await createInteractHandler({ passThrough: true, apiKey, fetch: upstream.fetch })(
      proxyRequest("/api/firecrawl/interact"),
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(MISSING_KEY);
    expect(upstream.calls).toHaveLength(0);
  });

  it("calls an apiKey function once per forwarded request", async () => {
    const keys = ["", FAKE_KEY];
    const apiKey = vi.fn(() => keys.shift());
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey, fetch: upstream.fetch });
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(500);
    expect((await handler(proxyRequest("/api/firecrawl/interact"))).status).toBe(200);
    expect(apiKey).toHaveBeenCalledTimes(2);
    expect(upstream.calls.map((call) => call.headers.authorization)).toEqual([`Bearer ${FAKE_KEY}`]);
  });

  it("still answers paths and methods that are no operation with 404 and 405, not the key error", async () => {
    vi.stubEnv("FIRECRAWL_API_KEY", undefined);
    const handler = createInteractHandler({ passThrough: true, fetch: fakeUpstream().fetch });
    expect((await handler(proxyRequest("/api/firecrawl/crawl"))).status).toBe(404);
    expect((await handler(proxyRequest("/api/firecrawl/scrape"))).status).toBe(405);
    expect((await handler(proxyRequest("/api/firecrawl/interact", { method: "PUT", json: {} }))).status).toBe(405);
  });
});

describe("configuration", () => {
  it.each([[0], [-1], [1.5], [Number.NaN]])("refuses maxBodyBytes %s", (maxBodyBytes) => {
    expect(() => createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, maxBodyBytes })).toThrow(
      new TypeError("firecrawl-interact: maxBodyBytes must be a positive integer"),
    );
  });

  it.each([["/api/../x"], ["/api/fire crawl"], ["/api/%2e%2e"]])("refuses basePath %s", (basePath) => {
    expect(() => createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, basePath })).toThrow(TypeError);
  });
});
