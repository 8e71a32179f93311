import { describe, expect, it } from "vitest";
import { operations } from "../../generated/constraints.js";
import { InteractValidationError } from "../core/errors.js";
import { createInteractHandler } from "./handler.js";
import type { InteractProxyLimits } from "./limits.js";
import { FAKE_KEY, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

const { ttl, activityTtl, profile } = operations.createBrowserSession.body.properties;
const { code, timeout } = operations.executeBrowserCode.body.properties;
const statuses = operations.listBrowserSessions.parameters[0].schema.enum;
const nameMax = profile.properties.name.maxLength;

const CREATE = "/api/firecrawl/interact";
const EXECUTE = "/api/firecrawl/interact/s1/execute";

describe("bodies are validated against the spec before anything is sent", () => {
  it.each([
    [
      CREATE,
      { ttl: ttl.minimum - 1 },
      "ttl",
      "minimum",
      ttl.minimum,
      `ttl must be at least ${ttl.minimum} (got ${ttl.minimum - 1})`,
    ],
    [
      CREATE,
      { ttl: ttl.maximum + 1 },
      "ttl",
      "maximum",
      ttl.maximum,
      `ttl must be at most ${ttl.maximum} (got ${ttl.maximum + 1})`,
    ],
    [CREATE, { ttl: 1.5 }, "ttl", "type", "integer", "ttl must be an integer (got 1.5)"],
    [CREATE, { ttl: "60" }, "ttl", "type", "integer", "ttl must be an integer (got a string)"],
    [
      CREATE,
      { activityTtl: activityTtl.minimum - 1 },
      "activityTtl",
      "minimum",
      activityTtl.minimum,
      `activityTtl must be at least ${activityTtl.minimum} (got ${activityTtl.minimum - 1})`,
    ],
    [
      CREATE,
      { streamWebView: "yes" },
      "streamWebView",
      "type",
      "boolean",
      "streamWebView must be a boolean (got a string)",
    ],
    [CREATE, { profile: {} }, "profile.name", "required", undefined, "profile.name is required"],
    [
      CREATE,
      { profile: { name: "" } },
      "profile.name",
      "minLength",
      1,
      "profile.name must be at least 1 character long (got 0)",
    ],
    [
      CREATE,
      { profile: { name: "x".repeat(nameMax + 1) } },
      "profile.name",
      "maxLength",
      nameMax,
      `profile.name must be at most ${nameMax} characters long (got ${nameMax + 1})`,
    ],
    [CREATE, [1], "body", "type", "object", "body must be an object (got array)"],
    [EXECUTE, {}, "code", "required", undefined, "code is required"],
    [EXECUTE, { code: "" }, "code", "minLength", code.minLength, "code must be at least 1 character long (got 0)"],
    [
      EXECUTE,
      { code: "x".repeat(code.maxLength + 1) },
      "code",
      "maxLength",
      code.maxLength,
      `code must be at most ${code.maxLength} characters long (got ${code.maxLength + 1})`,
    ],
    [
      EXECUTE,
      { code: "1", language: "ruby" },
      "language",
      "enum",
      ["python", "node", "bash"],
      'language must be one of python, node, bash (got "ruby")',
    ],
    [
      EXECUTE,
      { code: "1", timeout: timeout.minimum - 1 },
      "timeout",
      "minimum",
      timeout.minimum,
      `timeout must be at least ${timeout.minimum} (got 0)`,
    ],
  ])("%s %j → 400 %s/%s", async (path, json, field, rule, limit, message) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowExecute: true, allowProfiles: true },
    });
    const response = await handler(proxyRequest(path, { json }));
    expect(response.status).toBe(400);
    const details = limit === undefined ? { field, rule } : { field, rule, limit };
    expect(await response.json()).toEqual({ success: false, code: "invalid_request", error: message, details });
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["not JSON", { body: "{ttl:", headers: { "content-type": "application/json" } }, 400, "invalid_request"],
    ["an empty execute body", { body: "", headers: { "content-type": "application/json" } }, 400, "invalid_request"],
    ["text/plain", { body: '{"code":"1"}', headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
    [
      "a form post",
      { body: "code=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "unsupported_media_type",
    ],
    ["no content type", { body: "" }, 415, "unsupported_media_type"],
  ])("an execute body that is %s → %i", async (_name, init, status, errorCode) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      limits: { allowExecute: true },
    });
    const response = await handler(proxyRequest(EXECUTE, { method: "POST", ...init }));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(errorCode);
    expect(upstream.calls).toHaveLength(0);
  });

  it("refuses a text/plain create even with an empty body, so a cross-site form can't start a session", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(
      proxyRequest(CREATE, { method: "POST", body: "", headers: { "content-type": "text/plain" } }),
    );
    expect(response.status).toBe(415);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["a declared Content-Length", true],
    ["a streamed body", false],
  ])("answers 413 for a body over maxBodyBytes (%s)", async (_name, declared) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      maxBodyBytes: 64,
      limits: { allowExecute: true },
    });
    const text = JSON.stringify({ code: "x".repeat(100) });
    const bytes = new TextEncoder().encode(text);
    const body = declared
      ? text
      : new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.slice(0, 40));
            controller.enqueue(bytes.slice(40));
            controller.close();
          },
        });
    const headers = new Headers({ "content-type": "application/json" });
    if (declared) headers.set("content-length", String(bytes.byteLength));
    const init: RequestInit & { duplex: "half" } = { method: "POST", headers, body, duplex: "half" };
    const response = await handler(new Request(`http://app.test${EXECUTE}`, init));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      success: false,
      code: "payload_too_large",
      error: "Request body is larger than 64 bytes",
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 400 for an unknown status filter", async () => {
    const upstream = fakeUpstream();
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      proxyRequest("/api/firecrawl/interact?status=paused"),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      success: false,
      code: "invalid_request",
      error: `status must be one of ${statuses.join(", ")} (got "paused")`,
      details: { field: "status", rule: "enum", limit: statuses },
    });
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("limits", () => {
  it.each([
    [{ maxTtl: 600 }, { ttl: 3600 }, { ttl: 600 }],
    [{ maxTtl: 600 }, { ttl: 100 }, { ttl: 100 }],
    [{ maxTtl: 600 }, {}, { ttl: ttl.default }],
    [{ maxTtl: 120 }, {}, { ttl: 120 }],
    [{ maxActivityTtl: 60 }, { activityTtl: 3600 }, { activityTtl: 60 }],
    [{ maxActivityTtl: 60 }, {}, { activityTtl: 60 }],
    [{ maxActivityTtl: 600 }, { streamWebView: false }, { streamWebView: false, activityTtl: activityTtl.default }],
    [{}, { ttl: 3600 }, { ttl: 3600 }],
  ])("limits %j clamp %j to %j", async (limits, json, forwarded) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch, limits });
    expect((await handler(proxyRequest(CREATE, { json }))).status).toBe(200);
    expect(upstream.calls.map((call) => call.body)).toEqual([forwarded]);
  });

  it.each([
    ["execute", EXECUTE, { code: "1" }, {}, "Executing code is not allowed by this proxy"],
    [
      "execute on the /browser alias",
      "/api/firecrawl/browser/s1/execute",
      { code: "1" },
      {},
      "Executing code is not allowed by this proxy",
    ],
    [
      "execute with only scrape interaction allowed",
      EXECUTE,
      { code: "1" },
      { allowScrapeInteract: true },
      "Executing code is not allowed by this proxy",
    ],
    [
      "a profile on the /browser alias",
      "/api/firecrawl/browser",
      { profile: { name: "p" } },
      {},
      "Profiles are not allowed by this proxy",
    ],
    ["a profile", CREATE, { profile: { name: "p" } }, {}, "Profiles are not allowed by this proxy"],
    [
      "a profile with execute allowed",
      CREATE,
      { profile: { name: "p" } },
      { allowExecute: true },
      "Profiles are not allowed by this proxy",
    ],
  ])("answers 403 for %s unless allowed", async (_name, path, json, limits, error) => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch, limits });
    const response = await handler(proxyRequest(path, { json }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ success: false, code: "forbidden", error });
    expect(upstream.calls).toHaveLength(0);
  });

  it("answers 403 for execute before reading or validating its body", async () => {
    const upstream = fakeUpstream();
    const handler = createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch });
    const response = await handler(
      proxyRequest(EXECUTE, { method: "POST", body: "not json", headers: { "content-type": "text/plain" } }),
    );
    expect(response.status).toBe(403);
  });

  it.each([
    [{ maxTtl: ttl.minimum - 1 }, "limits.maxTtl", "minimum"],
    [{ maxTtl: ttl.maximum + 1 }, "limits.maxTtl", "maximum"],
    [{ maxTtl: 60.5 }, "limits.maxTtl", "type"],
    [{ maxActivityTtl: activityTtl.minimum - 1 }, "limits.maxActivityTtl", "minimum"],
  ])("refuses limits %j outside the spec's bounds", (limits, field, rule) => {
    let thrown: unknown;
    try {
      createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, limits });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InteractValidationError);
    expect(thrown).toMatchObject({ field, rule });
  });

  it.each([
    [{ allowExecute: "false" }, "limits.allowExecute must be a boolean (got string)"],
    [{ allowProfiles: 1 }, "limits.allowProfiles must be a boolean (got number)"],
    [{ allowScrapeInteract: "true" }, "limits.allowScrapeInteract must be a boolean (got string)"],
    [{ allowScrapeInteract: null }, "limits.allowScrapeInteract must be a boolean (got object)"],
  ])("refuses the switch %j, so an unparsed env var can't turn an operation on", (limits, message) => {
    expect(() =>
      createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, limits: limits as unknown as InteractProxyLimits }),
    ).toThrow(new TypeError(`firecrawl-interact: ${message}`));
  });
});
