import { describe, expect, it } from "vitest";
import {
  createBrowserSession,
  executeBrowserCode,
  interactWithScrapeBrowserSession,
  listBrowserSessions,
  scrapeAndExtractFromUrl,
} from "../../generated/constraints.js";
import { InteractApiError, InteractValidationError, parseRetryAfter } from "../core/errors.js";
import { createInteractClient, type InteractClient } from "./client.js";
import { countingFetch } from "./test-helpers.js";

const BASE = "http://127.0.0.1:1/v2";
const KEY = "fc-test-0123456789abcdef";
const ID = "550e8400-e29b-41d4-a716-446655440000";
const JOB = "7f9c2d1e-3b4a-4c5d-8e6f-0a1b2c3d4e5f";
const create = createBrowserSession.body.properties;
const exec = executeBrowserCode.body.properties;
const scrape = interactWithScrapeBrowserSession.body.properties;
const scrapeBody = scrapeAndExtractFromUrl.body.properties;

function clientWith(answer?: Parameters<typeof countingFetch>[0]) {
  const fake = countingFetch(answer);
  const client = createInteractClient({ apiKey: KEY, baseUrl: BASE, fetch: fake.fetch });
  return { client, calls: fake.calls };
}

/** Runs a promise that must reject and returns its reason. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("requests on the wire", () => {
  const cases: {
    name: string;
    run: (client: InteractClient) => Promise<unknown>;
    method: string;
    url: string;
    body: unknown;
  }[] = [
    {
      name: "createSession with a body",
      run: (c) => c.createSession({ ttl: 120, profile: { name: "shop", saveChanges: false } }),
      method: "POST",
      url: `${BASE}/interact`,
      body: { ttl: 120, profile: { name: "shop", saveChanges: false } },
    },
    {
      name: "createSession without a body",
      run: (c) => c.createSession(),
      method: "POST",
      url: `${BASE}/interact`,
      body: {},
    },
    { name: "listSessions", run: (c) => c.listSessions(), method: "GET", url: `${BASE}/interact`, body: undefined },
    {
      name: "listSessions by status",
      run: (c) => c.listSessions({ status: "destroyed" }),
      method: "GET",
      url: `${BASE}/interact?status=destroyed`,
      body: undefined,
    },
    {
      name: "execute",
      run: (c) => c.execute(ID, { code: "console.log(1)", language: "node", timeout: 30 }),
      method: "POST",
      url: `${BASE}/interact/${ID}/execute`,
      body: { code: "console.log(1)", language: "node", timeout: 30 },
    },
    { name: "getSession", run: (c) => c.getSession(ID), method: "GET", url: `${BASE}/interact/${ID}`, body: undefined },
    {
      name: "deleteSession",
      run: (c) => c.deleteSession(ID),
      method: "DELETE",
      url: `${BASE}/interact/${ID}`,
      body: undefined,
    },
    {
      name: "interact with code",
      run: (c) => c.interact(JOB, { code: "await page.title()", language: "node", timeout: 45, origin: "docs" }),
      method: "POST",
      url: `${BASE}/scrape/${JOB}/interact`,
      body: { code: "await page.title()", language: "node", timeout: 45, origin: "docs" },
    },
    {
      name: "interact with a prompt",
      run: (c) => c.interact(JOB, { prompt: "Open the pricing page" }),
      method: "POST",
      url: `${BASE}/scrape/${JOB}/interact`,
      body: { prompt: "Open the pricing page" },
    },
    {
      name: "stopInteraction",
      run: (c) => c.stopInteraction(JOB),
      method: "DELETE",
      url: `${BASE}/scrape/${JOB}/interact`,
      body: undefined,
    },
    {
      name: "scrape",
      run: (c) => c.scrape({ url: "https://example.com/a?b=1", formats: ["markdown", "links"], timeout: 30_000 }),
      method: "POST",
      url: `${BASE}/scrape`,
      body: { url: "https://example.com/a?b=1", formats: ["markdown", "links"], timeout: 30_000 },
    },
    {
      name: "scrape with nested options, sent as given",
      run: (c) =>
        c.scrape({
          url: "http://localhost:3000/",
          formats: [{ type: "screenshot", fullPage: true }],
          actions: [{ type: "click", selector: "#more" }],
          location: { country: "DE" },
        }),
      method: "POST",
      url: `${BASE}/scrape`,
      body: {
        url: "http://localhost:3000/",
        formats: [{ type: "screenshot", fullPage: true }],
        actions: [{ type: "click", selector: "#more" }],
        location: { country: "DE" },
      },
    },
    { name: "getScrape", run: (c) => c.getScrape(JOB), method: "GET", url: `${BASE}/scrape/${JOB}`, body: undefined },
  ];

  it.each(cases)("$name sends exactly one $method to the right URL with the key in a header", async (row) => {
    const { client, calls } = clientWith(() => ({ json: { success: true } }));
    await expect(row.run(client)).resolves.toEqual({ success: true });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.method).toBe(row.method);
    expect(call?.url).toBe(row.url);
    expect(call?.url).not.toContain(KEY);
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.headers["content-type"]).toBe(row.body === undefined ? undefined : "application/json");
    expect(call?.body).toEqual(row.body);
  });

  it("returns the typed 200 body as sent by the server", async () => {
    const created = {
      success: true,
      id: ID,
      cdpUrl: "wss://cdp.example/cdp/x",
      liveViewUrl: "https://live.example/x",
      interactiveLiveViewUrl: "https://live.example/x?interactive=true",
      expiresAt: "2026-11-26T10:00:00.000Z",
    };
    const { client } = clientWith(() => ({ json: created }));
    await expect(client.createSession({ ttl: 60 })).resolves.toEqual(created);
  });

  it("returns the typed 200 body of an interaction, live-view URLs and the agent's output included", async () => {
    const answered = {
      success: true,
      cdpUrl: "wss://cdp.example/cdp/j",
      liveViewUrl: "https://live.example/j",
      interactiveLiveViewUrl: "https://live.example/j?interactive=true",
      output: "The pricing page lists three plans.",
      stdout: "",
      result: null,
      stderr: "",
      exitCode: 0,
      killed: false,
      truncated: false,
    };
    const { client } = clientWith(() => ({ json: answered }));
    await expect(client.interact(JOB, { prompt: "Summarize the plans" })).resolves.toEqual(answered);
  });

  it("returns the typed 200 body of a scrape, with the scrape's id", async () => {
    const scraped = {
      success: true,
      data: {
        markdown: "# Example Domain",
        metadata: { title: "Example Domain", sourceURL: "https://example.com", statusCode: 200, scrapeId: JOB },
      },
    };
    const { client } = clientWith(() => ({ json: scraped }));
    await expect(client.scrape({ url: "https://example.com" })).resolves.toEqual(scraped);
    await expect(client.getScrape(JOB)).resolves.toEqual(scraped);
  });

  it("returns the typed 200 body of a session's status, running and then stopped", async () => {
    const urls = {
      cdpUrl: "wss://cdp.example/cdp/x",
      liveViewUrl: "https://live.example/x",
      interactiveLiveViewUrl: "",
    };
    const running = { success: true, id: ID, status: "running", ...urls };
    const stopped = { ...running, status: "stopped", sessionDurationMs: 1200, creditsBilled: 0 };
    const answers = [running, stopped];
    const { client, calls } = clientWith(() => ({ json: answers.shift() }));
    await expect(client.getSession(ID)).resolves.toEqual(running);
    await expect(client.getSession(ID)).resolves.toEqual(stopped);
    expect(calls.map((call) => [call.method, call.url])).toEqual([
      ["GET", `${BASE}/interact/${ID}`],
      ["GET", `${BASE}/interact/${ID}`],
    ]);
  });

  it("sends no Authorization header without an apiKey, and keeps extra headers", async () => {
    const fake = countingFetch(() => ({ json: { success: true, sessions: [] } }));
    const client = createInteractClient({ baseUrl: BASE, fetch: fake.fetch, headers: { "X-Trace": "t1" } });
    await client.listSessions();
    expect(fake.calls[0]?.headers.authorization).toBeUndefined();
    expect(fake.calls[0]?.headers["x-trace"]).toBe("t1");
  });

  it("passes keepalive through for best-effort cleanup", async () => {
    const { client, calls } = clientWith(() => ({ json: { success: true } }));
    await client.deleteSession(ID, { keepalive: true });
    expect(calls[0]?.keepalive).toBe(true);
  });

  it("defaults to Firecrawl's v2 root and trims a trailing slash", () => {
    expect(createInteractClient().baseUrl).toBe("https://api.firecrawl.dev/v2");
    expect(createInteractClient({ baseUrl: `${BASE}/` }).baseUrl).toBe(BASE);
  });
});

describe("error statuses become InteractApiError", () => {
  const statuses = [400, 401, 402, 403, 404, 409, 410, 429, 502];

  it.each([400, 401, 403, 404, 429, 502])(
    "getSession: %i is an InteractApiError with the server's body",
    async (status) => {
      const body = { success: false, error: `status says ${status}`, code: "not_found" };
      const { client, calls } = clientWith(() => ({ status, json: body }));
      const error = await rejectionOf(client.getSession(ID));
      expect(error).toBeInstanceOf(InteractApiError);
      expect(error).toMatchObject({ status, code: "not_found", message: `status says ${status}`, body });
      expect(calls).toHaveLength(1);
    },
  );

  it.each(statuses)("%i keeps status, code, the server's message and the parsed body", async (status) => {
    const body = { success: false, error: `server says ${status}`, code: `E_${status}`, details: { n: status } };
    const { client, calls } = clientWith(() => ({ status, json: body }));
    const error = await rejectionOf(client.createSession({ ttl: 60 }));
    expect(error).toBeInstanceOf(InteractApiError);
    expect(error).toMatchObject({ status, code: `E_${status}`, message: `server says ${status}`, body });
    expect((error as InteractApiError).retryAfterMs).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  // The statuses the spec lists for the scrape-bound operations.
  const scrapeStatuses = [
    ...[400, 401, 402, 403, 404, 409, 410, 429, 502].map((status) => ({ status, operation: "interact" as const })),
    ...[400, 401, 403, 404, 429, 502].map((status) => ({ status, operation: "stopInteraction" as const })),
  ];

  // The statuses the spec lists for the scrape itself.
  const scrapeJobStatuses = [
    ...[400, 401, 402, 403, 404, 408, 429, 500].map((status) => ({ status, operation: "scrape" as const })),
    ...[400, 401, 402, 404, 429, 500].map((status) => ({ status, operation: "getScrape" as const })),
  ];

  /** One call of each scrape-bound operation, by name. */
  const scrapeCall = (client: InteractClient, operation: string) => {
    if (operation === "interact") return client.interact(JOB, { code: "1" });
    if (operation === "scrape") return client.scrape({ url: "https://example.com" });
    if (operation === "getScrape") return client.getScrape(JOB);
    return client.stopInteraction(JOB);
  };

  it.each([...scrapeStatuses, ...scrapeJobStatuses])(
    "$operation: $status is an InteractApiError with the server's body",
    async (row) => {
      const body = { success: false, error: `scrape says ${row.status}`, code: "BAD_REQUEST" };
      const headers: Record<string, string> = row.status === 429 ? { "Retry-After": "3" } : {};
      const { client, calls } = clientWith(() => ({ status: row.status, json: body, headers }));
      const call = scrapeCall(client, row.operation);
      const error = await rejectionOf(call);
      expect(error).toBeInstanceOf(InteractApiError);
      expect(error).toMatchObject({
        status: row.status,
        code: "BAD_REQUEST",
        message: `scrape says ${row.status}`,
        body,
      });
      expect((error as InteractApiError).retryAfterMs).toBe(row.status === 429 ? 3000 : undefined);
      expect(calls).toHaveLength(1);
    },
  );

  const odd: { name: string; answer: Parameters<typeof countingFetch>[0]; expected: Record<string, unknown> }[] = [
    {
      name: "429 with Retry-After in seconds",
      answer: () => ({ status: 429, json: { error: "slow down" }, headers: { "Retry-After": "7" } }),
      expected: { status: 429, code: "http_429", message: "slow down", retryAfterMs: 7000 },
    },
    {
      name: "an error status with an empty body",
      answer: () => new Response(null, { status: 502 }),
      expected: { status: 502, code: "http_502", message: "HTTP 502", body: undefined },
    },
    {
      name: "an error status with an empty body and a reason phrase",
      answer: () => new Response(null, { status: 503, statusText: "Service Unavailable" }),
      expected: { status: 503, code: "http_503", message: "HTTP 503 Service Unavailable", body: undefined },
    },
    {
      name: "an HTML error page",
      answer: () => ({ status: 504, text: "<html>Gateway Timeout</html>", headers: { "Content-Type": "text/html" } }),
      expected: { status: 504, code: "http_504", message: "<html>Gateway Timeout</html>" },
    },
    {
      name: "an error field that is an object",
      answer: () => ({ status: 400, json: { error: { reason: "bad ttl" } } }),
      expected: { status: 400, message: '{"reason":"bad ttl"}' },
    },
    {
      name: "a 200 that is not JSON",
      answer: () => ({ status: 200, text: "<html>login</html>" }),
      expected: {
        status: 200,
        code: "invalid_response",
        message: 'Expected a JSON body from 200 response, got "<html>login</html>"',
      },
    },
    {
      name: "a 200 with an empty body",
      answer: () => new Response(null, { status: 200 }),
      expected: {
        status: 200,
        code: "invalid_response",
        message: "Expected a JSON body from 200 response, got an empty body",
      },
    },
    {
      name: "a network failure",
      answer: () => {
        throw new TypeError("fetch failed");
      },
      expected: { status: 0, code: "network_error", message: "Network error: fetch failed" },
    },
  ];

  it.each(odd)("$name", async ({ answer, expected }) => {
    const { client } = clientWith(answer);
    const error = await rejectionOf(client.listSessions());
    expect(error).toBeInstanceOf(InteractApiError);
    expect(error).toMatchObject(expected);
    expect((error as Error).message).not.toContain("[object Object]");
  });

  it("redacts the API key when a server echoes it, in message and toString()", async () => {
    const { client } = clientWith(() => ({ status: 401, json: { error: `Invalid key ${KEY}` } }));
    const error = await rejectionOf(client.listSessions());
    expect((error as Error).message).toBe("Invalid key [redacted]");
    expect(String(error)).toBe("InteractApiError: Invalid key [redacted]");
  });

  it("rethrows an abort as the signal's reason, not as a network error", async () => {
    const controller = new AbortController();
    const { client } = clientWith(() => new Promise<never>(() => {}));
    const pending = rejectionOf(client.listSessions({}, { signal: controller.signal }));
    controller.abort();
    const error = await pending;
    expect(error).not.toBeInstanceOf(InteractApiError);
    expect((error as Error).name).toBe("AbortError");
  });

  it("refuses a relative baseUrl outside a page with a typed error and no request", async () => {
    const fake = countingFetch();
    const client = createInteractClient({ baseUrl: "/api/firecrawl", fetch: fake.fetch });
    const error = await rejectionOf(client.listSessions());
    expect(error).toMatchObject({ status: 0, code: "network_error" });
    expect((error as Error).message).toContain("a relative baseUrl needs a page");
    expect(fake.calls).toHaveLength(0);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-26T10:00:00Z");
  it.each([
    ["120", 120_000],
    ["0", 0],
    ["1.5", 1500],
    ["Thu, 26 Nov 2026 10:00:30 GMT", 30_000],
    ["Thu, 26 Nov 2026 09:00:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
  ])("%s -> %s ms", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe("bad input is refused before anything is sent", () => {
  const ttl = create.ttl;
  const activityTtl = create.activityTtl;
  const name = create.profile.properties.name;
  const timeout = exec.timeout;
  const code = exec.code;
  const sessionId = executeBrowserCode.parameters[0].schema;
  const prompt = scrape.prompt;
  const cases: {
    input: string;
    run: (client: InteractClient) => Promise<unknown>;
    field: string;
    rule: string;
    limit: unknown;
  }[] = [
    {
      input: "ttl below minimum",
      run: (c) => c.createSession({ ttl: ttl.minimum - 1 }),
      field: "ttl",
      rule: "minimum",
      limit: ttl.minimum,
    },
    {
      input: "ttl above maximum",
      run: (c) => c.createSession({ ttl: ttl.maximum + 1 }),
      field: "ttl",
      rule: "maximum",
      limit: ttl.maximum,
    },
    { input: "ttl 1.5", run: (c) => c.createSession({ ttl: 1.5 }), field: "ttl", rule: "type", limit: "integer" },
    {
      input: 'ttl "60"',
      run: (c) => c.createSession({ ttl: "60" as never }),
      field: "ttl",
      rule: "type",
      limit: "integer",
    },
    {
      input: "ttl NaN",
      run: (c) => c.createSession({ ttl: Number.NaN }),
      field: "ttl",
      rule: "type",
      limit: "integer",
    },
    {
      input: "activityTtl below minimum",
      run: (c) => c.createSession({ activityTtl: activityTtl.minimum - 1 }),
      field: "activityTtl",
      rule: "minimum",
      limit: activityTtl.minimum,
    },
    {
      input: "streamWebView as a string",
      run: (c) => c.createSession({ streamWebView: "yes" as never }),
      field: "streamWebView",
      rule: "type",
      limit: "boolean",
    },
    {
      input: "empty profile name",
      run: (c) => c.createSession({ profile: { name: "" } }),
      field: "profile.name",
      rule: "minLength",
      limit: name.minLength,
    },
    {
      input: "profile name one past maxLength",
      run: (c) => c.createSession({ profile: { name: "p".repeat(name.maxLength + 1) } }),
      field: "profile.name",
      rule: "maxLength",
      limit: name.maxLength,
    },
    {
      input: "profile without name",
      run: (c) => c.createSession({ profile: {} as never }),
      field: "profile.name",
      rule: "required",
      limit: undefined,
    },
    {
      input: "a body that is not an object",
      run: (c) => c.createSession("ttl=60" as never),
      field: "body",
      rule: "type",
      limit: "object",
    },
    {
      input: 'language "ruby"',
      run: (c) => c.execute(ID, { code: "puts 1", language: "ruby" as never }),
      field: "language",
      rule: "enum",
      limit: exec.language.enum,
    },
    {
      input: "timeout 0",
      run: (c) => c.execute(ID, { code: "1", timeout: timeout.minimum - 1 }),
      field: "timeout",
      rule: "minimum",
      limit: timeout.minimum,
    },
    {
      input: "timeout above maximum",
      run: (c) => c.execute(ID, { code: "1", timeout: timeout.maximum + 1 }),
      field: "timeout",
      rule: "maximum",
      limit: timeout.maximum,
    },
    {
      input: "empty code",
      run: (c) => c.execute(ID, { code: "" }),
      field: "code",
      rule: "minLength",
      limit: code.minLength,
    },
    {
      input: "code one past maxLength",
      run: (c) => c.execute(ID, { code: "x".repeat(code.maxLength + 1) }),
      field: "code",
      rule: "maxLength",
      limit: code.maxLength,
    },
    {
      input: "missing code",
      run: (c) => c.execute(ID, {} as never),
      field: "code",
      rule: "required",
      limit: undefined,
    },
    {
      input: "empty sessionId (execute)",
      run: (c) => c.execute("", { code: "1" }),
      field: "sessionId",
      rule: "minLength",
      limit: sessionId.minLength,
    },
    {
      input: "empty sessionId (delete)",
      run: (c) => c.deleteSession(""),
      field: "sessionId",
      rule: "minLength",
      limit: sessionId.minLength,
    },
    {
      input: 'sessionId "../x"',
      run: (c) => c.deleteSession("../x"),
      field: "sessionId",
      rule: "pattern",
      limit: sessionId.pattern,
    },
    {
      input: 'sessionId "a/b"',
      run: (c) => c.execute("a/b", { code: "1" }),
      field: "sessionId",
      rule: "pattern",
      limit: sessionId.pattern,
    },
    {
      input: 'sessionId "../x" (getSession)',
      run: (c) => c.getSession("../x"),
      field: "sessionId",
      rule: "pattern",
      limit: sessionId.pattern,
    },
    {
      input: "empty sessionId (getSession)",
      run: (c) => c.getSession(""),
      field: "sessionId",
      rule: "minLength",
      limit: sessionId.minLength,
    },
    {
      input: 'sessionId "a?b=1"',
      run: (c) => c.deleteSession("a?b=1"),
      field: "sessionId",
      rule: "pattern",
      limit: sessionId.pattern,
    },
    {
      input: "sessionId not a string",
      run: (c) => c.deleteSession(42 as never),
      field: "sessionId",
      rule: "type",
      limit: "string",
    },
    {
      input: 'status "paused"',
      run: (c) => c.listSessions({ status: "paused" as never }),
      field: "status",
      rule: "enum",
      limit: listBrowserSessions.parameters[0].schema.enum,
    },
    {
      input: "code over 100,000 bytes of UTF-8 but not 100,000 characters (execute)",
      run: (c) => c.execute(ID, { code: "é".repeat(50_001) }),
      field: "code",
      rule: "maxBytes",
      limit: exec.code["x-maxBytes"],
    },
    {
      input: "code and prompt both (interact)",
      run: (c) => c.interact(JOB, { code: "1", prompt: "click" } as never),
      field: "body",
      rule: "oneOf",
      limit: ["code", "prompt"],
    },
    {
      input: "neither code nor prompt (interact)",
      run: (c) => c.interact(JOB, { language: "node" } as never),
      field: "body",
      rule: "oneOf",
      limit: ["code", "prompt"],
    },
    {
      input: "empty prompt",
      run: (c) => c.interact(JOB, { prompt: "" }),
      field: "prompt",
      rule: "minLength",
      limit: prompt.minLength,
    },
    {
      input: "prompt one past maxLength",
      run: (c) => c.interact(JOB, { prompt: "p".repeat(prompt.maxLength + 1) }),
      field: "prompt",
      rule: "maxLength",
      limit: prompt.maxLength,
    },
    {
      input: "code one past maxLength (interact)",
      run: (c) => c.interact(JOB, { code: "x".repeat(scrape.code.maxLength + 1) }),
      field: "code",
      rule: "maxLength",
      limit: scrape.code.maxLength,
    },
    {
      input: "code over 100,000 bytes of UTF-8 (interact)",
      run: (c) => c.interact(JOB, { code: "é".repeat(50_001) }),
      field: "code",
      rule: "maxBytes",
      limit: scrape.code["x-maxBytes"],
    },
    {
      input: "timeout 0 (interact)",
      run: (c) => c.interact(JOB, { code: "1", timeout: scrape.timeout.minimum - 1 }),
      field: "timeout",
      rule: "minimum",
      limit: scrape.timeout.minimum,
    },
    {
      input: "timeout 301 (interact)",
      run: (c) => c.interact(JOB, { prompt: "go", timeout: scrape.timeout.maximum + 1 }),
      field: "timeout",
      rule: "maximum",
      limit: scrape.timeout.maximum,
    },
    {
      input: 'language "ruby" (interact)',
      run: (c) => c.interact(JOB, { code: "1", language: "ruby" as never }),
      field: "language",
      rule: "enum",
      limit: scrape.language.enum,
    },
    {
      input: "origin not a string (interact)",
      run: (c) => c.interact(JOB, { code: "1", origin: 7 as never }),
      field: "origin",
      rule: "type",
      limit: "string",
    },
    {
      input: "scrape id that is not a uuid (interact)",
      run: (c) => c.interact("../scrape", { code: "1" }),
      field: "jobId",
      rule: "format",
      limit: "uuid",
    },
    {
      input: "empty scrape id (stopInteraction)",
      run: (c) => c.stopInteraction(""),
      field: "jobId",
      rule: "format",
      limit: "uuid",
    },
    {
      input: "scrape id that is not a uuid (getScrape)",
      run: (c) => c.getScrape("../crawl"),
      field: "jobId",
      rule: "format",
      limit: "uuid",
    },
    {
      input: "scrape without a url",
      run: (c) => c.scrape({ formats: ["markdown"] } as never),
      field: "url",
      rule: "required",
      limit: undefined,
    },
    ...["example.com", "ftp://example.com/x", "javascript:alert(1)", "http://", "http:///etc", "https://a b"].map(
      (url) => ({
        input: `scrape url ${JSON.stringify(url)}`,
        run: (c: InteractClient) => c.scrape({ url }),
        field: "url",
        rule: "pattern",
        limit: scrapeBody.url.pattern,
      }),
    ),
    {
      input: "scrape timeout below minimum (seconds, not milliseconds)",
      run: (c) => c.scrape({ url: "https://example.com", timeout: 30 }),
      field: "timeout",
      rule: "minimum",
      limit: scrapeBody.timeout.minimum,
    },
    {
      input: "scrape timeout above maximum",
      run: (c) => c.scrape({ url: "https://example.com", timeout: scrapeBody.timeout.maximum + 1 }),
      field: "timeout",
      rule: "maximum",
      limit: scrapeBody.timeout.maximum,
    },
    {
      input: "a scrape body that is not an object",
      run: (c) => c.scrape("https://example.com" as never),
      field: "body",
      rule: "type",
      limit: "object",
    },
  ];

  it.each(cases)("$input -> InteractValidationError on $field ($rule), zero fetch calls", async (row) => {
    const { client, calls } = clientWith(() => ({ json: { success: true } }));
    const error = await rejectionOf(row.run(client));
    expect(error).toBeInstanceOf(InteractValidationError);
    expect(error).toMatchObject({ field: row.field, rule: row.rule, limit: row.limit, code: "invalid_request" });
    expect((error as Error).message.startsWith(row.field)).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("names the bound in the message", async () => {
    const { client } = clientWith();
    await expect(client.createSession({ ttl: ttl.minimum - 1 })).rejects.toThrow(
      `ttl must be at least ${ttl.minimum} (got ${ttl.minimum - 1})`,
    );
    await expect(client.execute(ID, { code: "1", language: "ruby" as never })).rejects.toThrow(
      'language must be one of python, node, bash (got "ruby")',
    );
  });

  it("accepts the bounds themselves", async () => {
    const { client, calls } = clientWith(() => ({ json: { success: true } }));
    await client.createSession({
      ttl: ttl.minimum,
      activityTtl: activityTtl.maximum,
      profile: { name: "p".repeat(name.maxLength) },
    });
    await client.createSession({ ttl: ttl.maximum, activityTtl: activityTtl.minimum });
    await client.execute(ID, { code: "x", timeout: timeout.maximum, language: "bash" });
    // 33,333 three-byte characters: 99,999 bytes.
    await client.execute(ID, { code: "€".repeat(33_333) });
    await client.interact(JOB, { prompt: "p".repeat(prompt.maxLength), timeout: scrape.timeout.maximum });
    await client.interact(JOB, { code: "x".repeat(scrape.code["x-maxBytes"]), timeout: scrape.timeout.minimum });
    await client.scrape({ url: "https://example.com", timeout: scrapeBody.timeout.minimum });
    await client.scrape({ url: "http://127.0.0.1:8080/a#b", timeout: scrapeBody.timeout.maximum, proxy: "basic" });
    expect(calls).toHaveLength(8);
  });

  it("checks of a scrape what its type can't say: its other fields are the server's (and the proxy's) to check", async () => {
    const { client, calls } = clientWith(() => ({ json: { success: true } }));
    const url = "https://example.com";
    await client.scrape({ url, formats: [{ type: "question" }] as never });
    await client.scrape({ url, formats: "markdown" as never });
    await client.scrape({ url, proxy: "stealth" as never });
    await client.scrape({ url, waitFor: 1.5 });
    expect(calls.map((call) => call.body)).toEqual([
      { url, formats: [{ type: "question" }] },
      { url, formats: "markdown" },
      { url, proxy: "stealth" },
      { url, waitFor: 1.5 },
    ]);
  });
});
