import { describe, expect, it, vi } from "vitest";
import { operations } from "../../generated/constraints.js";
import type { operations as generated } from "../../generated/schema.js";
import { type AuthorizeContext, createInteractHandler, type InteractHandlerOptions } from "./handler.js";
import { FAKE_KEY, type FakeUpstreamAnswer, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

// POST and DELETE /scrape/{jobId}/interact through the proxy: off unless `allowScrapeInteract`, then validated
// against the spec (exactly one of code and prompt, a uuid job id) and forwarded with the server's key.

const UPSTREAM = "https://api.firecrawl.dev/v2";
const JOB = "3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b";
const PATH = `/api/firecrawl/scrape/${JOB}/interact`;
const { code, prompt, timeout } = operations.interactWithScrapeBrowserSession.body.properties;

const FORBIDDEN = {
  success: false,
  code: "forbidden",
  error: "Interacting with scrapes is not allowed by this proxy",
};
const NOT_FOUND = { success: false, code: "not_found", error: "No interact operation at this path" };

/** The proxy with a recording upstream; scrape interaction allowed unless `limits` says otherwise. */
function proxy(options: InteractHandlerOptions = {}, answer?: (call: unknown) => FakeUpstreamAnswer) {
  const upstream = fakeUpstream(answer);
  const handler = createInteractHandler({
    passThrough: true,
    apiKey: FAKE_KEY,
    fetch: upstream.fetch,
    limits: { allowScrapeInteract: true },
    ...options,
  });
  return { handler, upstream };
}

const post = (json: unknown, path = PATH, headers?: Record<string, string>) =>
  proxyRequest(path, { method: "POST", json, headers });
const remove = (path = PATH, headers?: Record<string, string>) => proxyRequest(path, { method: "DELETE", headers });

describe("scrape interaction is off by default", () => {
  it.each([
    ["POST (code)", () => post({ code: "await page.title()" })],
    ["POST (prompt)", () => post({ prompt: "Click the first link" })],
    ["DELETE", () => remove()],
    ["POST on an upper-case job id", () => post({ prompt: "p" }, PATH.replace(JOB, JOB.toUpperCase()))],
  ])("%s → 403 with the exact body and no upstream call", async (_name, request) => {
    const upstream = fakeUpstream();
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      request(),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(FORBIDDEN);
    expect(Object.fromEntries(response.headers)).toEqual({
      "cache-control": "no-store",
      "content-type": "application/json",
      "x-content-type-options": "nosniff",
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["allowScrapeInteract: false", { allowScrapeInteract: false }],
    ["every other switch on", { allowExecute: true, allowProfiles: true, maxTtl: 600 }],
  ])("stays off with %s", async (_name, limits) => {
    const { handler, upstream } = proxy({ limits });
    for (const request of [post({ code: "1" }), remove()]) {
      const response = await handler(request);
      expect(response.status).toBe(403);
      expect(await response.json()).toStrictEqual(FORBIDDEN);
    }
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 403 before reading or validating the body", async () => {
    const { handler, upstream } = proxy({ limits: {} });
    for (const init of [
      { body: "not json", headers: { "content-type": "text/plain" } },
      { body: JSON.stringify({ code: "1", prompt: "both" }), headers: { "content-type": "application/json" } },
      { body: "" },
    ]) {
      const response = await handler(proxyRequest(PATH, { method: "POST", ...init }));
      expect([response.status, await response.json()]).toStrictEqual([403, FORBIDDEN]);
    }
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 403, not the missing-key 500, when no key is set", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: () => undefined, fetch: upstream.fetch });
    const response = await handler(remove());
    expect([response.status, await response.json()]).toStrictEqual([403, FORBIDDEN]);
    expect(upstream.calls).toHaveLength(0);
  });

  it("still answers a bad job id with 404 (no route), not 403", async () => {
    const upstream = fakeUpstream();
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      post({ prompt: "p" }, "/api/firecrawl/scrape/job-1/interact"),
    );
    expect([response.status, await response.json()]).toStrictEqual([404, NOT_FOUND]);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("with allowScrapeInteract: true", () => {
  it("forwards POST with the server key, the browser's credentials dropped, and mirrors the answer", async () => {
    const answer = {
      success: true,
      liveViewUrl: "https://live.example/j",
      interactiveLiveViewUrl: "https://live.example/j?interactive=true",
      stdout: "Example Domain\n",
      result: null,
      exitCode: 0,
      killed: false,
    };
    const { handler, upstream } = proxy({}, () => ({
      json: answer,
      headers: { "set-cookie": "a=b", "x-request-id": "r9" },
    }));
    const response = await handler(
      post({ code: "console.log(await page.title())" }, PATH, {
        authorization: "Bearer browser-token",
        cookie: "session=abc",
        "x-api-key": "other",
        "user-agent": "test-agent",
      }),
    );
    expect(upstream.calls.map((call) => [call.method, call.url, call.headers, call.body])).toStrictEqual([
      [
        "POST",
        `${UPSTREAM}/scrape/${JOB}/interact`,
        {
          accept: "application/json",
          authorization: `Bearer ${FAKE_KEY}`,
          "content-type": "application/json",
          "user-agent": "test-agent",
        },
        { code: "console.log(await page.title())" },
      ],
    ]);
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual(answer);
    expect(Object.fromEntries(response.headers)).toEqual({
      "cache-control": "no-store",
      "content-type": "application/json",
      "x-content-type-options": "nosniff",
      "x-request-id": "r9",
    });
  });

  it("forwards every declared field and drops the ones the spec does not declare", async () => {
    const { handler, upstream } = proxy();
    await handler(
      post({
        prompt: "Find the pricing page",
        language: "python",
        timeout: 120,
        origin: "my-app",
        url: "https://evil.example/",
        apiKey: "fc-other",
        webhook: { url: "https://evil.example/hook" },
      }),
    );
    await handler(
      proxyRequest(PATH, {
        method: "POST",
        body: '{"code":"ls","language":"bash","jobId":"other","__proto__":{"timeout":0},"constructor":{}}',
        headers: { "content-type": "application/json" },
      }),
    );
    expect(upstream.calls.map((call) => call.body)).toStrictEqual([
      { prompt: "Find the pricing page", language: "python", timeout: 120, origin: "my-app" },
      { code: "ls", language: "bash" },
    ]);
  });

  it("forwards DELETE without a body or content type", async () => {
    const { handler, upstream } = proxy({}, () => ({ json: { success: true } }));
    const response = await handler(remove(PATH, { authorization: "Bearer browser-token", "x-request-id": "q1" }));
    expect([response.status, await response.json()]).toStrictEqual([200, { success: true }]);
    expect(upstream.calls.map((call) => [call.method, call.url, call.headers, call.body])).toStrictEqual([
      [
        "DELETE",
        `${UPSTREAM}/scrape/${JOB}/interact`,
        { accept: "application/json", authorization: `Bearer ${FAKE_KEY}`, "x-request-id": "q1" },
        undefined,
      ],
    ]);
  });

  it("ignores a body sent with DELETE", async () => {
    const { handler, upstream } = proxy();
    await handler(proxyRequest(PATH, { method: "DELETE", json: { code: "1" } }));
    expect(upstream.calls.map((call) => [call.method, call.body, call.headers["content-type"]])).toStrictEqual([
      ["DELETE", undefined, undefined],
    ]);
  });

  it.each([
    ["/proxy/fc", "http://127.0.0.1:3002/v2/", "/proxy/fc", "http://127.0.0.1:3002/v2"],
    ["/", "http://127.0.0.1:3002/v2", "", "http://127.0.0.1:3002/v2"],
    ["api/firecrawl/", undefined, "/api/firecrawl", UPSTREAM],
  ])("strips basePath %j and forwards to baseUrl %j", async (basePath, baseUrl, mounted, root) => {
    const { handler, upstream } = proxy({ basePath, ...(baseUrl === undefined ? {} : { baseUrl }) });
    expect((await handler(post({ prompt: "p" }, `${mounted}/scrape/${JOB}/interact`))).status).toBe(200);
    expect((await handler(remove(`${mounted}/scrape/${JOB}/interact`))).status).toBe(200);
    expect(upstream.calls.map((call) => `${call.method} ${call.url}`)).toStrictEqual([
      `POST ${root}/scrape/${JOB}/interact`,
      `DELETE ${root}/scrape/${JOB}/interact`,
    ]);
  });

  it("forwards an upper-case job id as it came", async () => {
    const { handler, upstream } = proxy();
    await handler(remove(PATH.replace(JOB, JOB.toUpperCase())));
    expect(upstream.calls.map((call) => call.url)).toStrictEqual([`${UPSTREAM}/scrape/${JOB.toUpperCase()}/interact`]);
  });

  it.each([
    ["code at exactly its byte limit (50,000 × é)", { code: "é".repeat(50_000) }],
    ["code at exactly its length limit", { code: "x".repeat(code.maxLength) }],
    ["prompt at exactly its length limit", { prompt: "p".repeat(prompt.maxLength) }],
    ["a one-character prompt", { prompt: "p" }],
    ["the timeout bounds", { prompt: "p", timeout: timeout.minimum }],
    ["the timeout bounds", { prompt: "p", timeout: timeout.maximum }],
  ])("forwards %s", async (_name, json) => {
    const { handler, upstream } = proxy();
    expect((await handler(post(json))).status).toBe(200);
    expect(upstream.calls.map((call) => call.body)).toStrictEqual([json]);
  });
});

describe("bad scrape-interact requests are answered without an upstream call", () => {
  it.each([
    [
      "a prompt one character too long",
      { prompt: "p".repeat(prompt.maxLength + 1) },
      "prompt must be at most 10000 characters long (got 10001)",
      { field: "prompt", rule: "maxLength", limit: 10_000 },
    ],
    [
      "an empty prompt",
      { prompt: "" },
      "prompt must be at least 1 character long (got 0)",
      { field: "prompt", rule: "minLength", limit: 1 },
    ],
    [
      "code over 100,000 bytes of UTF-8 in 50,001 characters",
      { code: "é".repeat(50_001) },
      "code must be at most 100000 bytes of UTF-8 (got 100002)",
      { field: "code", rule: "maxBytes", limit: 100_000 },
    ],
    [
      "code over 100,000 characters",
      { code: "x".repeat(code.maxLength + 1) },
      "code must be at most 100000 characters long (got 100001)",
      { field: "code", rule: "maxLength", limit: 100_000 },
    ],
    [
      "empty code",
      { code: "" },
      "code must be at least 1 character long (got 0)",
      { field: "code", rule: "minLength", limit: 1 },
    ],
    [
      "both code and prompt",
      { code: "1", prompt: "p" },
      "body must have exactly one of code, prompt",
      { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
    ],
    [
      "neither code nor prompt",
      {},
      "body must have exactly one of code, prompt",
      { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
    ],
    [
      "only options",
      { language: "node", timeout: 10, origin: "x" },
      "body must have exactly one of code, prompt",
      { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
    ],
    [
      "only undeclared fields that look like a prompt",
      { instructions: "p", task: "p" },
      "body must have exactly one of code, prompt",
      { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
    ],
    [
      "a null code beside a prompt",
      { code: null, prompt: "p" },
      "code must be a string (got null)",
      { field: "code", rule: "type", limit: "string" },
    ],
    [
      "timeout 0",
      { prompt: "p", timeout: 0 },
      "timeout must be at least 1 (got 0)",
      { field: "timeout", rule: "minimum", limit: 1 },
    ],
    [
      "timeout 301",
      { code: "1", timeout: 301 },
      "timeout must be at most 300 (got 301)",
      { field: "timeout", rule: "maximum", limit: 300 },
    ],
    [
      "a fractional timeout",
      { code: "1", timeout: 1.5 },
      "timeout must be an integer (got 1.5)",
      { field: "timeout", rule: "type", limit: "integer" },
    ],
    [
      "an unknown language",
      { code: "1", language: "ruby" },
      'language must be one of python, node, bash (got "ruby")',
      { field: "language", rule: "enum", limit: ["python", "node", "bash"] },
    ],
    [
      "an array body",
      [{ prompt: "p" }],
      "body must be an object (got array)",
      { field: "body", rule: "type", limit: "object" },
    ],
    ["a string body", "p", "body must be an object (got a string)", { field: "body", rule: "type", limit: "object" }],
  ])("%s → 400", async (_name, json, error, details) => {
    const { handler, upstream } = proxy();
    const response = await handler(post(json));
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({ success: false, error, code: "invalid_request", details });
    expect(upstream.calls).toHaveLength(0);
  });

  it("checks the 50,001-é case is really within the character limit", () => {
    expect("é".repeat(50_001).length).toBeLessThanOrEqual(code.maxLength);
  });

  it.each([
    ["an empty body", { body: "", headers: { "content-type": "application/json" } }, 400, "invalid_request"],
    ["not JSON", { body: "{prompt:", headers: { "content-type": "application/json" } }, 400, "invalid_request"],
    [
      "text/plain",
      { body: '{"prompt":"p"}', headers: { "content-type": "text/plain" } },
      415,
      "unsupported_media_type",
    ],
    [
      "a form post",
      { body: "prompt=p", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "unsupported_media_type",
    ],
  ])("a POST body that is %s → %i", async (_name, init, status, errorCode) => {
    const { handler, upstream } = proxy();
    const response = await handler(proxyRequest(PATH, { method: "POST", ...init }));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(errorCode);
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 413 for a POST body over maxBodyBytes", async () => {
    const { handler, upstream } = proxy({ maxBodyBytes: 64 });
    const response = await handler(post({ prompt: "p".repeat(100) }));
    expect(response.status).toBe(413);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["not a uuid", "job-1"],
    ["a uuid without dashes", JOB.replaceAll("-", "")],
    ["a uuid with a trailing character", `${JOB}0`],
    ["a uuid with a non-hex digit", `${JOB.slice(0, -1)}z`],
    ["a session id", "sess_1"],
    ["a percent-encoded uuid", `${JOB.slice(0, 8)}%2D${JOB.slice(9)}`],
  ])("a job id that is %s → 404 for POST, DELETE and GET, authorize not asked", async (_name, jobId) => {
    const authorize = vi.fn(() => true);
    const { handler, upstream } = proxy({ authorize });
    const path = `/api/firecrawl/scrape/${jobId}/interact`;
    for (const request of [post({ prompt: "p" }, path), remove(path), proxyRequest(path)]) {
      const response = await handler(request);
      expect([response.status, await response.json()]).toStrictEqual([404, NOT_FOUND]);
    }
    expect(authorize).not.toHaveBeenCalled();
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["a query string on POST", () => post({ prompt: "p" }, `${PATH}?timeout=300`)],
    ["a query string on DELETE", () => remove(`${PATH}?force=true`)],
    ["a trailing slash", () => post({ prompt: "p" }, `${PATH}/`)],
    ["a segment after interact", () => post({ prompt: "p" }, `${PATH}/execute`)],
  ])("%s → 404", async (_name, request) => {
    const { handler, upstream } = proxy();
    const response = await handler(request());
    expect([response.status, await response.json()]).toStrictEqual([404, NOT_FOUND]);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["the scrape job itself", () => proxyRequest(`/api/firecrawl/scrape/${JOB}`)],
    ["a new scrape", () => post({ url: "https://example.com" }, "/api/firecrawl/scrape")],
  ])("%s is scraping, another switch: 403 with allowScrapeInteract alone", async (_name, request) => {
    const { handler, upstream } = proxy();
    const response = await handler(request());
    expect([response.status, await response.json()]).toStrictEqual([
      403,
      { success: false, code: "forbidden", error: "Scraping is not allowed by this proxy" },
    ]);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([["GET"], ["PUT"], ["PATCH"], ["OPTIONS"]])(
    "%s on a valid job → 405 allowing POST, DELETE",
    async (method) => {
      const { handler, upstream } = proxy();
      const response = await handler(proxyRequest(PATH, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, DELETE");
      expect(upstream.calls).toHaveLength(0);
    },
  );
});

type ErrorStatus<Id extends keyof generated> = Exclude<keyof generated[Id]["responses"], 200>;

// Every error status the spec lists per operation; the type checks below fail when the spec adds or drops one.
const INTERACT_ERRORS = [
  400, 401, 402, 403, 404, 409, 410, 429, 502,
] as const satisfies readonly ErrorStatus<"interactWithScrapeBrowserSession">[];
const STOP_ERRORS = [
  400, 401, 403, 404, 429, 502,
] as const satisfies readonly ErrorStatus<"stopInteractiveScrapeBrowserSession">[];
const interactErrorsComplete: [
  Exclude<ErrorStatus<"interactWithScrapeBrowserSession">, (typeof INTERACT_ERRORS)[number]>,
] extends [never]
  ? true
  : false = true;
const stopErrorsComplete: [
  Exclude<ErrorStatus<"stopInteractiveScrapeBrowserSession">, (typeof STOP_ERRORS)[number]>,
] extends [never]
  ? true
  : false = true;

const ERROR_BODIES: Readonly<Record<number, { success: false; error: string; code?: string }>> = {
  400: { success: false, error: "Invalid job id", code: "BAD_REQUEST" },
  401: { success: false, error: "Unauthorized: Invalid token" },
  402: { success: false, error: "Insufficient credits", code: "PAYMENT_REQUIRED" },
  403: { success: false, error: "Forbidden" },
  404: { success: false, error: "Scrape job not found" },
  409: { success: false, error: "Replay context is gone", code: "CONFLICT" },
  410: { success: false, error: "Browser session already destroyed" },
  429: { success: false, error: "Rate limit exceeded", code: "RATE_LIMITED" },
  502: { success: false, error: "Browser service failed" },
};

describe("upstream errors pass through with their status and body", () => {
  it("lists every error status of the spec", () => {
    expect([interactErrorsComplete, stopErrorsComplete]).toEqual([true, true]);
  });

  it.each([
    ...INTERACT_ERRORS.map((status) => ["POST", status] as const),
    ...STOP_ERRORS.map((status) => ["DELETE", status] as const),
  ])("%s → upstream %i", async (method, status) => {
    const headers: Record<string, string> = status === 429 ? { "retry-after": "17" } : {};
    const json = ERROR_BODIES[status];
    const { handler, upstream } = proxy({}, () => ({ status, json, headers: { ...headers, "set-cookie": "x=1" } }));
    const response = await handler(method === "POST" ? post({ prompt: "p" }) : remove());
    expect(upstream.calls).toHaveLength(1);
    expect(response.status).toBe(status);
    expect(await response.json()).toStrictEqual(json);
    expect(response.headers.get("retry-after")).toBe(status === 429 ? "17" : null);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("passes a 429 with an HTTP-date Retry-After and no body through", async () => {
    const date = "Wed, 21 Oct 2015 07:28:00 GMT";
    const { handler } = proxy({}, () => ({ status: 429, text: "", headers: { "retry-after": date } }));
    const response = await handler(post({ code: "1" }));
    expect([response.status, response.headers.get("retry-after"), await response.text()]).toStrictEqual([
      429,
      date,
      "",
    ]);
  });

  it("keeps the status of an HTML 502 but not its markup", async () => {
    const { handler } = proxy({}, () => ({ status: 502, text: "<html>bad gateway</html>" }));
    const response = await handler(remove());
    expect(response.status).toBe(502);
    expect(await response.json()).toStrictEqual({
      success: false,
      code: "invalid_upstream_response",
      error: "The interact API answered 502 without JSON",
    });
  });

  it("redacts the key from an upstream answer that echoes it", async () => {
    const { handler } = proxy({}, () => ({ status: 401, json: { success: false, error: `Bad key ${FAKE_KEY}` } }));
    const response = await handler(post({ prompt: "p" }));
    expect(await response.json()).toStrictEqual({ success: false, error: "Bad key [redacted]" });
  });
});

describe("authorize", () => {
  it.each([
    ["interactWithScrapeBrowserSession", () => post({ prompt: "p" })],
    ["stopInteractiveScrapeBrowserSession", () => remove()],
  ])("receives %s with the jobId", async (operationId, request) => {
    const authorize = vi.fn((_request: Request, _context: AuthorizeContext) => true);
    const { handler, upstream } = proxy({ authorize });
    expect((await handler(request())).status).toBe(200);
    expect(authorize.mock.calls.map((args) => args[1])).toStrictEqual([
      { operationId, sessionId: undefined, jobId: JOB },
    ]);
    expect(upstream.calls).toHaveLength(1);
  });

  it("receives the jobId while the limits leave scrape interaction off, and its no is a 401", async () => {
    const authorize = vi.fn((_request: Request, context: AuthorizeContext) => context.jobId !== JOB);
    const { handler, upstream } = proxy({ authorize, limits: {} });
    const denied = await handler(post({ prompt: "p" }));
    expect([denied.status, await denied.json()]).toStrictEqual([
      401,
      { success: false, code: "unauthorized", error: "Not authorized to use the interact API" },
    ]);
    const other = "00000000-0000-4000-8000-000000000000";
    const allowed = await handler(remove(PATH.replace(JOB, other)));
    expect([allowed.status, await allowed.json()]).toStrictEqual([403, FORBIDDEN]);
    expect(authorize.mock.calls.map((args) => args[1].jobId)).toStrictEqual([JOB, other]);
    expect(upstream.calls).toHaveLength(0);
  });

  it("gives the sessionId, not a jobId, for the session operations", async () => {
    const authorize = vi.fn((_request: Request, _context: AuthorizeContext) => true);
    const { handler } = proxy({ authorize, limits: { allowExecute: true } });
    await handler(post({ code: "1" }, "/api/firecrawl/browser/s1/execute"));
    expect(authorize.mock.calls.map((args) => args[1])).toStrictEqual([
      { operationId: "executeBrowserCodeAlias", sessionId: "s1", jobId: undefined },
    ]);
  });
});
