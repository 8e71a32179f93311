import { request as httpRequest } from "node:http";
import {
  InteractValidationError,
  MAX_BODY_BYTES,
  matchOperation,
  operations,
  validateRequest,
} from "firecrawl-interact/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, startSuiteEmulator, TEST_KEY } from "../test-helpers/index.js";

const C = operations.createBrowserSession.body.properties;
// The spec's operations the bad bodies are sent to, as the client's validator sees them.
const CREATE = matchOperation("POST", "/interact");
const EXECUTE = matchOperation("POST", "/interact/x/execute");
const E = operations.executeBrowserCode.body.properties;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const SCRAPE_INTERACT = operations.interactWithScrapeBrowserSession;
const SCRAPE_STOP = operations.stopInteractiveScrapeBrowserSession;

let emulator: Emulator;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  // No warm pool and one slot: every Chromium launched is visible in spawnedPids().
  emulator = await startSuiteEmulator("emulator.errors", { apiKey: TEST_KEY, maxSessions: 1, warmPool: 0 });
});

afterAll(() => finishSuite("emulator.errors", emulator, processesBefore));

/** The message the shared client validator gives for a body, so the server is proven to use the same rules. */
function clientMessage(validate: () => void): string {
  try {
    validate();
  } catch (error) {
    if (error instanceof InteractValidationError) return error.message;
  }
  throw new Error("the client validator accepted the body");
}

const OPERATIONS: [string, string, unknown?][] = [
  ["POST", "/interact", {}],
  ["GET", "/interact"],
  ["POST", `/interact/${UNKNOWN_ID}/execute`, { code: "1" }],
  ["DELETE", `/interact/${UNKNOWN_ID}`],
  ["POST", "/browser", {}],
];

/** Firecrawl serves these without a key; with apiKey set the emulator does not (see keyless-scrape.test.ts). */
const SCRAPE_OPERATIONS: [string, string, unknown?][] = [
  ["POST", `/scrape/${UNKNOWN_ID}/interact`, { code: "1" }],
  ["DELETE", `/scrape/${UNKNOWN_ID}/interact`],
  ["POST", "/scrape", { url: "file:///etc/passwd" }],
];

describe("with apiKey set, scrape and its interaction need the key too", () => {
  test.each(SCRAPE_OPERATIONS)("%s %s without Authorization → 401", async (method, path, body) => {
    const answer = await call(emulator, method, path, { auth: null, body });
    expect([answer.status, answer.body]).toEqual([
      401,
      { success: false, error: "Unauthorized: missing or invalid API key", code: "unauthorized" },
    ]);
  });
  test.each(
    SCRAPE_OPERATIONS.flatMap(([method, path, body]) =>
      [`Basic ${TEST_KEY}`, "Bearer ", "Bearer fc-some-other-key"].map((auth) => [method, path, auth, body] as const),
    ),
  )("%s %s with %s → 401", async (method, path, auth, body) => {
    const answer = await call(emulator, method, path, { auth, body });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: "unauthorized" });
  });
  test.each(SCRAPE_OPERATIONS)("%s %s with the key passes the key check", async (method, path, body) => {
    const answer = await call(emulator, method, path, { body });
    // Past auth: the unknown job is a 404 and the file: URL a 400.
    expect(answer.status).toBe(path === "/scrape" ? 400 : 404);
  });
});

describe("401: a missing or wrong key", () => {
  const auths: [string, string | null][] = [
    ["no header", null],
    ["another scheme", `Basic ${TEST_KEY}`],
    ["an empty bearer", "Bearer "],
    ["a different key", "Bearer fc-some-other-key"],
  ];
  test.each(
    OPERATIONS.flatMap(([method, path, body]) =>
      auths.map(([label, auth]) => [method, path, label, auth, body] as const),
    ),
  )("%s %s with %s → 401", async (method, path, _label, auth, body) => {
    const answer = await call(emulator, method, path, { auth, body });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      success: false,
      error: "Unauthorized: missing or invalid API key",
      code: "unauthorized",
    });
  });
});

describe("400: bad input, answered before any browser starts", () => {
  const createCases: [string, unknown, Record<string, unknown>][] = [
    ["ttl below its minimum", { ttl: C.ttl.minimum - 1 }, { field: "ttl", rule: "minimum", limit: C.ttl.minimum }],
    ["ttl above its maximum", { ttl: C.ttl.maximum + 1 }, { field: "ttl", rule: "maximum", limit: C.ttl.maximum }],
    ["a fractional ttl", { ttl: 1.5 }, { field: "ttl", rule: "type", limit: "integer" }],
    ["a string ttl", { ttl: "60" }, { field: "ttl", rule: "type", limit: "integer" }],
    [
      "activityTtl below its minimum",
      { activityTtl: C.activityTtl.minimum - 1 },
      { field: "activityTtl", rule: "minimum", limit: C.activityTtl.minimum },
    ],
    [
      "an empty profile name",
      { profile: { name: "" } },
      { field: "profile.name", rule: "minLength", limit: C.profile.properties.name.minLength },
    ],
    [
      "a profile name one too long",
      { profile: { name: "p".repeat(C.profile.properties.name.maxLength + 1) } },
      { field: "profile.name", rule: "maxLength", limit: C.profile.properties.name.maxLength },
    ],
    ["a profile without name", { profile: {} }, { field: "profile.name", rule: "required" }],
    ["a string streamWebView", { streamWebView: "yes" }, { field: "streamWebView", rule: "type", limit: "boolean" }],
    ["an array body", [], { field: "body", rule: "type", limit: "object" }],
  ];
  test.each(createCases)("create with %s", async (_label, body, details) => {
    const answer = await call(emulator, "POST", "/interact", { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      success: false,
      code: "BAD_REQUEST",
      error: clientMessage(() => CREATE.kind === "operation" && validateRequest(CREATE.operation, { body })),
      details,
    });
  });

  const executeCases: [string, unknown, Record<string, unknown>][] = [
    [
      "an unknown language",
      { code: "1", language: "ruby" },
      { field: "language", rule: "enum", limit: E.language.enum },
    ],
    [
      "timeout 0",
      { code: "1", timeout: E.timeout.minimum - 1 },
      { field: "timeout", rule: "minimum", limit: E.timeout.minimum },
    ],
    [
      "timeout above its maximum",
      { code: "1", timeout: E.timeout.maximum + 1 },
      { field: "timeout", rule: "maximum", limit: E.timeout.maximum },
    ],
    ["empty code", { code: "" }, { field: "code", rule: "minLength", limit: E.code.minLength }],
    ["no code", {}, { field: "code", rule: "required" }],
    [
      "code one too long",
      { code: "x".repeat(E.code.maxLength + 1) },
      { field: "code", rule: "maxLength", limit: E.code.maxLength },
    ],
  ];
  test.each(executeCases)("execute with %s", async (_label, body, details) => {
    const answer = await call(emulator, "POST", `/interact/${UNKNOWN_ID}/execute`, { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      success: false,
      code: "BAD_REQUEST",
      error: clientMessage(() => EXECUTE.kind === "operation" && validateRequest(EXECUTE.operation, { body })),
      details,
    });
  });

  // The limit is in bytes of UTF-8, as on Firecrawl's server: "é" is 2 bytes, "€" 3.
  test("code of 50,001 × é (100,002 bytes) → 400 maxBytes; 33,333 × € (99,999 bytes) passes the check", async () => {
    const over = await call(emulator, "POST", `/interact/${UNKNOWN_ID}/execute`, {
      body: { code: "é".repeat(50_001) },
    });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      success: false,
      code: "BAD_REQUEST",
      details: { field: "code", rule: "maxBytes", limit: E.code["x-maxBytes"] },
    });
    const within = await call(emulator, "POST", `/interact/${UNKNOWN_ID}/execute`, {
      body: { code: "€".repeat(33_333) },
    });
    // Past validation: the unknown session is what is refused.
    expect([within.status, within.body.code]).toEqual([404, "not_found"]);
  });

  test.each(["python", "bash", "node"])(
    "execute in %s with an unknown session → 404 (every language is served)",
    async (language) => {
      const answer = await call(emulator, "POST", `/interact/${UNKNOWN_ID}/execute`, {
        body: { code: "ls", language },
      });
      expect([answer.status, answer.body.code]).toEqual([404, "not_found"]);
    },
  );

  test.each([
    ["a body that is not JSON", "{ttl: 60"],
    ["a truncated JSON body", '{"ttl": '],
  ])("create with %s", async (_label, rawBody) => {
    const answer = await call(emulator, "POST", "/interact", { rawBody });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      success: false,
      code: "BAD_REQUEST_INVALID_JSON",
      error: "Request body is not valid JSON",
      details: { field: "body", rule: "type", limit: "object" },
    });
  });

  test("a body over the server's 10 MB limit → 413, the same answer as the proxy's", async () => {
    const rawBody = JSON.stringify({ code: "x".repeat(MAX_BODY_BYTES) });
    const answer = await call(emulator, "POST", `/interact/${UNKNOWN_ID}/execute`, { rawBody });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      success: false,
      code: "payload_too_large",
      error: `Request body is larger than ${MAX_BODY_BYTES} bytes`,
    });
  });

  test.each([
    ["DELETE", "/interact/bad.id"],
    ["DELETE", "/interact/%2E%2E%2Fx"],
    ["POST", "/interact/bad.id/execute"],
  ])("%s %s → 400 naming sessionId", async (method, path) => {
    const answer = await call(emulator, method, path, { body: { code: "1" } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "BAD_REQUEST", details: { field: "sessionId", rule: "pattern" } });
  });

  test("list with an unknown status → 400 naming status", async () => {
    const answer = await call(emulator, "GET", "/interact?status=paused");
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "BAD_REQUEST", details: { field: "status", rule: "enum" } });
  });

  test("list with status=error (a status Firecrawl's server accepts) → 200; the emulator has no such sessions", async () => {
    const answer = await call(emulator, "GET", "/interact?status=error");
    expect([answer.status, answer.body]).toEqual([200, { success: true, sessions: [] }]);
    expect((await call(emulator, "GET", "/browser?status=error")).status).toBe(200);
  });

  test("none of the bad requests above launched a browser", () => {
    expect(emulator.spawnedPids()).toEqual([]);
  });
});

describe("scrape-bound interaction on a jobId no scrape gave", () => {
  const NOT_FOUND = { success: false, error: "Job not found.", code: "not_found" };

  test.each([
    ["code", { code: "console.log(1)" }],
    ["prompt", { prompt: "click the button" }],
    ["code and options", { code: "1", language: "node", timeout: 5, origin: "test" }],
  ])("POST /scrape/{jobId}/interact with %s → 404 Job not found.", async (_label, body) => {
    const answer = await call(emulator, "POST", `/scrape/${UNKNOWN_ID}/interact`, { body });
    expect([answer.status, answer.body]).toEqual([404, NOT_FOUND]);
  });

  test("DELETE /scrape/{jobId}/interact → 404 Job not found.", async () => {
    const answer = await call(emulator, "DELETE", `/scrape/${UNKNOWN_ID}/interact`);
    expect([answer.status, answer.body]).toEqual([404, NOT_FOUND]);
  });

  test.each([
    ["POST", "not-a-uuid", SCRAPE_INTERACT],
    ["DELETE", "not-a-uuid", SCRAPE_STOP],
    ["POST", "00000000-0000-4000-8000-00000000000", SCRAPE_INTERACT],
    ["DELETE", "00000000_0000_4000_8000_000000000000", SCRAPE_STOP],
  ] as const)("%s /scrape/%s/interact → 400 naming jobId", async (method, jobId, operation) => {
    const answer = await call(emulator, method, `/scrape/${jobId}/interact`, {
      body: method === "POST" ? { code: "1" } : undefined,
    });
    expect(answer.status).toBe(400);
    // Firecrawl's own wording, which its clients compare; the bound is the one the spec's validator names.
    expect(clientMessage(() => validateRequest(operation, { params: { jobId } }))).toContain("jobId");
    expect(answer.body).toEqual({
      success: false,
      code: "BAD_REQUEST",
      error: "Invalid job ID format. Job ID must be a valid UUID.",
      details: { field: "jobId", rule: "format", limit: "uuid" },
    });
  });

  test.each([
    ["neither code nor prompt", {}],
    ["both code and prompt", { code: "1", prompt: "click" }],
  ])("POST /scrape/{jobId}/interact with %s → 400 oneOf", async (_label, body) => {
    const answer = await call(emulator, "POST", `/scrape/${UNKNOWN_ID}/interact`, { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      success: false,
      code: "BAD_REQUEST",
      error: clientMessage(() => validateRequest(SCRAPE_INTERACT, { body })),
      details: { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
    });
  });

  test("PUT /scrape/{jobId}/interact → 405 with Allow: POST, DELETE", async () => {
    const answer = await call(emulator, "PUT", `/scrape/${UNKNOWN_ID}/interact`);
    expect([answer.status, answer.body.code, answer.headers.get("allow")]).toEqual([
      405,
      "method_not_allowed",
      "POST, DELETE",
    ]);
  });

  test("none of the scrape calls launched a browser", () => {
    expect(emulator.spawnedPids()).toEqual([]);
  });
});

describe("404, 405, 410 and 429", () => {
  test("unknown sessions are 404; unknown routes 404; wrong methods 405 with Allow", async () => {
    for (const [method, path, body] of OPERATIONS.slice(2, 4)) {
      const answer = await call(emulator, method, path, { body });
      expect([answer.status, answer.body]).toEqual([
        404,
        { success: false, error: "Session not found", code: "not_found" },
      ]);
    }
    expect((await call(emulator, "GET", "/scrape")).status).toBe(404);
    const wrongMethod = await call(emulator, "PUT", "/interact");
    expect([wrongMethod.status, wrongMethod.body.code, wrongMethod.headers.get("allow")]).toEqual([
      405,
      "method_not_allowed",
      "GET, POST",
    ]);
  });

  test("concurrent creates past maxSessions get 429 with Retry-After; a destroyed session is 410", async () => {
    const launchedBefore = emulator.spawnedPids().length;
    const answers = await Promise.all([1, 2, 3].map(() => call(emulator, "POST", "/interact", { body: { ttl: 90 } })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429, 429]);
    // Only the admitted request started a browser.
    expect(emulator.spawnedPids().length).toBe(launchedBefore + 1);
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect(refused.body).toEqual({
        success: false,
        code: "too_many_sessions",
        error: "At most 1 session may be active at once",
        details: { maxSessions: 1 },
      });
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(90);
    }
    const id = (answers.find((answer) => answer.status === 200)?.body.id as string) ?? "";
    expect((await call(emulator, "DELETE", `/interact/${id}`)).status).toBe(200);
    for (const [method, path, body] of [
      ["DELETE", `/interact/${id}`, undefined],
      ["POST", `/interact/${id}/execute`, { code: "1" }],
      ["DELETE", `/browser/${id}`, undefined],
    ] as const) {
      const answer = await call(emulator, method, path, { body });
      expect([answer.status, answer.body]).toEqual([
        410,
        {
          success: false,
          error: "Session already destroyed",
          code: "session_destroyed",
          details: { reason: "deleted" },
        },
      ]);
    }
  });
});

describe("403: Host headers of other names (DNS rebinding)", () => {
  const rawRequest = (host: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${emulator.origin}${path}`, {
        method: "GET",
        headers: { Host: host, Authorization: `Bearer ${TEST_KEY}`, ...headers },
      });
      request.on("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on("error", reject);
      request.end();
    });

  test.each(["evil.example", "evil.example:80", "127.0.0.1.evil.example"])(
    "Host %s → 403 on the API, live views and sockets",
    async (host) => {
      const api = await rawRequest(host, "/v2/interact");
      expect([api.status, JSON.parse(api.body)]).toEqual([
        403,
        { success: false, error: "Host not allowed", code: "forbidden" },
      ]);
      expect((await rawRequest(host, `/live/${UNKNOWN_ID}?token=x`)).status).toBe(403);
      const upgrade = await rawRequest(host, `/cdp/${UNKNOWN_ID}?token=x`, {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      });
      expect(upgrade.status).toBe(403);
    },
  );

  test.each(["127.0.0.1", "localhost", "app.localhost", "[::1]"])("Host %s is accepted", async (host) => {
    expect((await rawRequest(host, "/v2/interact")).status).toBe(200);
  });
});
