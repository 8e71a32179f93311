import { describe, expect, it } from "vitest";
import { createInteractClient } from "../../client/client.js";
import { InteractApiError } from "../../core/errors.js";
import type { ConformanceBackend } from "./backend.js";
import { call, clientOf, deleteAll, expectError } from "./helpers.js";

/** Requests that break the spec, each with the 400 the emulator words for it. */
const BAD_REQUESTS = [
  {
    what: "a ttl below 30",
    method: "POST",
    path: "/interact",
    body: { ttl: 29 },
    error: "ttl must be at least 30 (got 29)",
    details: { field: "ttl", rule: "minimum", limit: 30 },
  },
  {
    what: "an unknown language",
    method: "POST",
    path: "/interact/any-session/execute",
    body: { code: "1", language: "ruby" },
    error: 'language must be one of python, node, bash (got "ruby")',
    details: { field: "language", rule: "enum", limit: ["python", "node", "bash"] },
  },
  {
    what: "an execute without code",
    method: "POST",
    path: "/interact/any-session/execute",
    body: {},
    error: "code is required",
    details: { field: "code", rule: "required" },
  },
  {
    what: "a session id outside the spec's pattern",
    method: "DELETE",
    path: "/interact/bad.id",
    error: "sessionId must match ^[A-Za-z0-9_-]+$",
    details: { field: "sessionId", rule: "pattern", limit: "^[A-Za-z0-9_-]+$" },
  },
  {
    what: "a status filter outside the enum",
    method: "GET",
    path: "/interact?status=paused",
    error: 'status must be one of active, destroyed, error (got "paused")',
    details: { field: "status", rule: "enum", limit: ["active", "destroyed", "error"] },
  },
  {
    what: "a scrape interaction with both code and prompt",
    method: "POST",
    path: "/scrape/00000000-0000-4000-8000-000000000000/interact",
    body: { code: "1", prompt: "click" },
    error: "body must have exactly one of code, prompt",
    details: { field: "body", rule: "oneOf", limit: ["code", "prompt"] },
  },
];

/** The client refuses what the server would: an `InteractValidationError`, and nothing sent. */
async function refusedBeforeSending(backend: ConformanceBackend) {
  let sent = 0;
  const fetch = (...args: Parameters<typeof globalThis.fetch>) => {
    sent++;
    return backend.fetch(...args);
  };
  const client = createInteractClient({ baseUrl: backend.baseUrl, apiKey: backend.apiKey, fetch });
  const refused = { name: "InteractValidationError", field: "ttl", rule: "minimum", limit: 30 };
  await expect(client.createSession({ ttl: 29 })).rejects.toMatchObject(refused);
  expect(sent).toBe(0);
}

/** The spec's 400 bodies for bad input: the same validator and codes, `details: { field, rule, limit }`. */
export function validationCases(backend: ConformanceBackend): void {
  describe("validation", () => {
    for (const { what, method, path, body, error, details } of BAD_REQUESTS) {
      it(`answers 400 BAD_REQUEST for ${what}`, async () => {
        expectError(backend, await call(backend, method, path, { body }), 400, { code: "BAD_REQUEST", error, details });
      });
    }

    it("answers 400 BAD_REQUEST_INVALID_JSON for a body that is not JSON", async () => {
      const answer = await call(backend, "POST", "/interact", { rawBody: "{ttl:" });
      const details = { field: "body", rule: "type", limit: "object" };
      const error = "Request body is not valid JSON";
      expectError(backend, answer, 400, { code: "BAD_REQUEST_INVALID_JSON", error, details });
    });

    it("the client refuses the same bounds before sending (InteractValidationError, nothing sent)", () =>
      refusedBeforeSending(backend));
  });
}

/** `maxSessions` active: the next create is a 429 with Retry-After (the client's retryAfterMs); a delete frees a slot. */
async function limitAnswered(backend: ConformanceBackend, maxSessions: number) {
  const client = clientOf(backend);
  const active = ((await client.listSessions({ status: "active" })).sessions ?? []).length;
  const ids: (string | undefined)[] = [];
  try {
    for (let n = active; n < maxSessions; n++) ids.push((await client.createSession({})).id);
    const full = await call(backend, "POST", "/interact", { body: {} });
    expectError(backend, full, 429, {
      code: "too_many_sessions",
      error: `At most ${maxSessions} session${maxSessions === 1 ? "" : "s"} may be active at once`,
      details: { maxSessions },
    });
    // The soonest a slot frees itself: the newest sessions' activityTtl (300 s by default), in whole seconds.
    const retryAfter = Number(full.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(300);
    const error = await client.createSession({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InteractApiError);
    expect((error as InteractApiError).retryAfterMs).toBe(Number(full.headers.get("retry-after")) * 1000);
    await client.deleteSession(ids.pop() as string);
    ids.push((await client.createSession({})).id);
  } finally {
    await deleteAll(backend, ids);
  }
}

/** An injected fault in the emulator's shape: its status, the code for it, Retry-After; a drop is a network error. */
async function faultPlayed(backend: ConformanceBackend, injectFault: NonNullable<ConformanceBackend["injectFault"]>) {
  injectFault({ operationId: "listBrowserSessions", status: 503, retryAfter: 7 });
  const faulted = await call(backend, "GET", "/interact");
  expectError(backend, faulted, 503, { code: "unavailable", error: "Injected fault: 503 for listBrowserSessions" });
  expect(faulted.headers.get("retry-after")).toBe("7");
  expect((await call(backend, "GET", "/interact")).status).toBe(200);
  injectFault({ operationId: "createBrowserSession", drop: true });
  const dropped = await clientOf(backend)
    .createSession({})
    .catch((caught: unknown) => caught);
  expect(dropped).toMatchObject({ status: 0, code: "network_error" });
}

/** The error body of the wire: 401, 404 for no route, 405, `maxSessions` → 429 with Retry-After, faults. */
export function errorBodyCases(backend: ConformanceBackend): void {
  describe("error bodies", () => {
    it("answers 401 unauthorized for a wrong key", async () => {
      const answer = await call(backend, "GET", "/interact", { key: "fc-not-the-key" });
      expectError(backend, answer, 401, { code: "unauthorized", error: "Unauthorized: missing or invalid API key" });
    });

    it("answers 404 for a path that is no operation and 405 with Allow for a wrong method", async () => {
      const error = `No route for GET ${new URL(backend.baseUrl).pathname}/nothing-here`;
      expectError(backend, await call(backend, "GET", "/nothing-here"), 404, { code: "not_found", error });
      const wrong = await call(backend, "PUT", "/interact");
      const details = { allow: ["GET", "POST"] };
      expectError(backend, wrong, 405, { code: "method_not_allowed", error: "Method PUT not allowed here", details });
      if (backend.exactErrors) expect(wrong.headers.get("allow")).toBe("GET, POST");
    });

    const { maxSessions, injectFault } = backend;
    // Firecrawl's limit depends on the plan, and it has no fault injection: those two cases are the local backends'.
    if (maxSessions !== undefined) {
      it(`answers 429 too_many_sessions past maxSessions (${maxSessions}) with Retry-After, and admits again after a delete`, () =>
        limitAnswered(backend, maxSessions));
    }
    if (injectFault) {
      it("plays an injected fault in the emulator's shape: status, code by status, Retry-After, then normal again", () =>
        faultPlayed(backend, injectFault));
    }
  });
}
