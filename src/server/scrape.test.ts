import { afterEach, describe, expect, it, vi } from "vitest";
import { scrapeAndExtractFromUrl } from "../../generated/constraints.js";
import { InteractValidationError } from "../core/errors.js";
import type { ScrapeFormatName, ScrapeRequest } from "../core/types.js";
import { SCRAPE_OWNERSHIP_MS } from "./access.js";
import { createInteractHandler, type InteractHandlerOptions } from "./handler.js";
import type { InteractProxyLimits } from "./limits.js";
import { createMemoryOwnerStore, type OwnerStore } from "./owners.js";
import { FAKE_KEY, type FakeUpstreamAnswer, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

// POST /scrape and GET /scrape/{jobId} through the proxy: off unless `allowScrape` (a scrape spends credits and loads a
// URL the page chose), then validated against the whole spec, limited (formats, URL, timeout, profile) and forwarded.

const UPSTREAM = "https://api.firecrawl.dev/v2";
const JOB = "3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b";
const SCRAPE = "/api/firecrawl/scrape";
const STATUS = `/api/firecrawl/scrape/${JOB}`;
const { url: urlField, timeout } = scrapeAndExtractFromUrl.body.properties;

const SCRAPE_FORBIDDEN = { success: false, code: "forbidden", error: "Scraping is not allowed by this proxy" };
const URL_FORBIDDEN = { success: false, code: "forbidden", error: "Scraping this URL is not allowed by this proxy" };
const JOB_NOT_FOUND = { success: false, code: "not_found", error: "Job not found." };
const formatForbidden = (name: string) => ({
  success: false,
  code: "forbidden",
  error: `The scrape format "${name}" is not allowed by this proxy`,
});

/** Firecrawl's answer to a scrape: the page and its metadata, with the scrape's id. */
const scraped = (scrapeId = JOB) => ({
  success: true,
  data: { markdown: "# Example", metadata: { title: "Example", sourceURL: "https://example.com/", scrapeId } },
});

/** The proxy in shared mode with scraping allowed unless `limits` says otherwise, over a recording upstream. */
function proxy(options: InteractHandlerOptions = {}, answer: () => FakeUpstreamAnswer = () => ({ json: scraped() })) {
  const upstream = fakeUpstream(answer);
  const handler = createInteractHandler({
    passThrough: true,
    apiKey: FAKE_KEY,
    fetch: upstream.fetch,
    limits: { allowScrape: true },
    ...options,
  });
  return { handler, upstream };
}

const scrape = (json: unknown, headers?: Record<string, string>) =>
  proxyRequest(SCRAPE, { method: "POST", json, headers });

afterEach(() => {
  vi.useRealTimers();
});

describe("scraping is off by default", () => {
  it.each([
    ["POST /scrape", () => scrape({ url: "https://example.com" })],
    ["GET /scrape/{jobId}", () => proxyRequest(STATUS)],
    ["POST /scrape with a body that is not JSON", () => proxyRequest(SCRAPE, { method: "POST", body: "url=x" })],
    ["POST /scrape with a body that breaks the spec", () => scrape({ url: "ftp://x" })],
  ])("%s → 403 with the exact body and no upstream call", async (_name, request) => {
    const upstream = fakeUpstream();
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      request(),
    );
    expect([response.status, await response.json()]).toStrictEqual([403, SCRAPE_FORBIDDEN]);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    ["allowScrape: false", { allowScrape: false }],
    ["every other switch on", { allowExecute: true, allowProfiles: true, allowScrapeInteract: true, maxTtl: 600 }],
  ])("stays off with %s", async (_name, limits: InteractProxyLimits) => {
    const { handler, upstream } = proxy({ limits });
    for (const request of [scrape({ url: "https://example.com" }), proxyRequest(STATUS)]) {
      const response = await handler(request);
      expect([response.status, await response.json()]).toStrictEqual([403, SCRAPE_FORBIDDEN]);
    }
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("with allowScrape: true", () => {
  it("forwards POST /scrape with the server key and the browser's credentials dropped, and mirrors the answer", async () => {
    const { handler, upstream } = proxy();
    const response = await handler(
      scrape(
        { url: "https://example.com", formats: ["markdown", { type: "screenshot", fullPage: true }], smuggled: 1 },
        { authorization: "Bearer browser-token", cookie: "session=abc", "user-agent": "test-agent" },
      ),
    );
    expect(upstream.calls.map((call) => [call.method, call.url, call.headers, call.body])).toStrictEqual([
      [
        "POST",
        `${UPSTREAM}/scrape`,
        {
          accept: "application/json",
          authorization: `Bearer ${FAKE_KEY}`,
          "content-type": "application/json",
          "user-agent": "test-agent",
        },
        // What the spec does not declare stays behind; the URL goes as `new URL` reads it.
        { url: "https://example.com/", formats: ["markdown", { type: "screenshot", fullPage: true }] },
      ],
    ]);
    expect([response.status, await response.json()]).toStrictEqual([200, scraped()]);
  });

  it("forwards GET /scrape/{jobId} and mirrors the answer", async () => {
    const { handler, upstream } = proxy();
    const response = await handler(proxyRequest(STATUS));
    expect(upstream.calls.map((call) => [call.method, call.url, call.body])).toStrictEqual([
      ["GET", `${UPSTREAM}/scrape/${JOB}`, undefined],
    ]);
    expect([response.status, await response.json()]).toStrictEqual([200, scraped()]);
  });

  it("keeps a CDP URL out of a scrape's answer, as out of every other", async () => {
    const { handler } = proxy({}, () => ({ json: { ...scraped(), cdpUrl: "wss://cdp.example/x?token=t" } }));
    const response = await handler(scrape({ url: "https://example.com" }));
    expect(await response.json()).toStrictEqual(scraped());
  });

  it("passes an upstream error through with its status and body", async () => {
    const body = { success: false, code: "SCRAPE_TIMEOUT", error: "Scrape timed out" };
    const { handler } = proxy({}, () => ({ status: 408, json: body }));
    const response = await handler(scrape({ url: "https://example.com" }));
    expect([response.status, await response.json()]).toStrictEqual([408, body]);
  });
});

describe("a scrape body is checked against the whole spec before anything is sent", () => {
  /** The 400 body for one broken rule. */
  const invalid = (field: string, rule: string, error: string, limit?: unknown) => ({
    success: false,
    code: "invalid_request",
    error,
    details: limit === undefined ? { field, rule } : { field, rule, limit },
  });
  const pattern = urlField.pattern;

  it.each([
    [{ formats: ["markdown"] }, invalid("url", "required", "url is required")],
    [{ url: "example.com" }, invalid("url", "pattern", `url must match ${pattern}`, pattern)],
    [{ url: "ftp://example.com/x" }, invalid("url", "pattern", `url must match ${pattern}`, pattern)],
    [{ url: "javascript:alert(1)" }, invalid("url", "pattern", `url must match ${pattern}`, pattern)],
    [{ url: "http:///etc/passwd" }, invalid("url", "pattern", `url must match ${pattern}`, pattern)],
    [
      { url: "http://[::1" },
      invalid("url", "format", 'url must be a valid http or https URL (got "http://[::1")', "uri"),
    ],
    [
      { url: "https://example.com", timeout: 999 },
      invalid("timeout", "minimum", "timeout must be at least 1000 (got 999)", timeout.minimum),
    ],
    [
      { url: "https://example.com", formats: ["pdf"] },
      invalid("formats[0]", "oneOf", "formats[0] must have exactly one of 17 alternatives"),
    ],
    [
      { url: "https://example.com", formats: [{ type: "question" }] },
      invalid("formats[0]", "oneOf", "formats[0] must have exactly one of 17 alternatives"),
    ],
    [
      { url: "https://example.com", actions: [{ type: "hover", selector: "a" }] },
      invalid("actions[0]", "oneOf", "actions[0] must have exactly one of 9 alternatives"),
    ],
    [
      { url: "https://example.com", location: { country: "germany" } },
      invalid("location.country", "pattern", "location.country must match ^[A-Z]{2}$", "^[A-Z]{2}$"),
    ],
  ])("%j → 400 with no upstream call", async (body, expected) => {
    const { handler, upstream } = proxy();
    const response = await handler(scrape(body));
    expect([response.status, await response.json()]).toStrictEqual([400, expected]);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe("the scrape limits", () => {
  it.each<[ScrapeFormatName[] | undefined, ScrapeRequest]>([
    [undefined, { url: "https://example.com" }],
    [undefined, { url: "https://example.com", formats: ["markdown", "html", "rawHtml", "links", "images"] }],
    [undefined, { url: "https://example.com", formats: [{ type: "screenshot" }] }],
    [["json"], { url: "https://example.com", formats: [{ type: "json", prompt: "the price" }] }],
  ])("allowedScrapeFormats %j lets %j through", async (allowedScrapeFormats, body) => {
    const { handler, upstream } = proxy({ limits: { allowScrape: true, allowedScrapeFormats } });
    expect((await handler(scrape(body))).status).toBe(200);
    expect(upstream.calls).toHaveLength(1);
  });

  it.each<[ScrapeFormatName[] | undefined, ScrapeRequest, string]>([
    [undefined, { url: "https://example.com", formats: ["markdown", "json"] }, "json"],
    [undefined, { url: "https://example.com", formats: [{ type: "question", question: "Who?" }] }, "question"],
    [undefined, { url: "https://example.com", formats: ["summary"] }, "summary"],
    // No formats is the spec's default, markdown, which must be allowed too.
    [["html"], { url: "https://example.com" }, "markdown"],
  ])("allowedScrapeFormats %j refuses %j with a 403 naming %s", async (allowedScrapeFormats, body, name) => {
    const { handler, upstream } = proxy({ limits: { allowScrape: true, allowedScrapeFormats } });
    const response = await handler(scrape(body));
    expect([response.status, await response.json()]).toStrictEqual([403, formatForbidden(name)]);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    [undefined, 30_000, 30_000],
    [undefined, undefined, undefined],
    [20_000, undefined, 20_000],
    [20_000, 30_000, 20_000],
    [20_000, 10_000, 10_000],
  ])("maxScrapeTimeout %s sends timeout %s as %s", async (maxScrapeTimeout, asked, sent) => {
    const { handler, upstream } = proxy({ limits: { allowScrape: true, maxScrapeTimeout } });
    expect((await handler(scrape({ url: "https://example.com", timeout: asked }))).status).toBe(200);
    expect(upstream.calls[0]?.body).toStrictEqual(
      sent === undefined ? { url: "https://example.com/" } : { url: "https://example.com/", timeout: sent },
    );
  });

  it("asks allowScrapeUrl about the URL that will be sent, and refuses with a 403 before any upstream call", async () => {
    const seen: string[] = [];
    const allowScrapeUrl = (url: URL) => {
      seen.push(url.href);
      return url.hostname !== "localhost";
    };
    const { handler, upstream } = proxy({ limits: { allowScrape: true, allowScrapeUrl } });
    const refused = await handler(scrape({ url: "http://LOCALHOST:3000/admin" }));
    expect([refused.status, await refused.json()]).toStrictEqual([403, URL_FORBIDDEN]);
    expect(upstream.calls).toHaveLength(0);
    expect((await handler(scrape({ url: "https://Example.com/a/../b" }))).status).toBe(200);
    expect(seen).toEqual(["http://localhost:3000/admin", "https://example.com/b"]);
    expect(upstream.calls.map((call) => call.body)).toStrictEqual([{ url: "https://example.com/b" }]);
  });

  it.each([
    ["a promise of false", async () => false],
    ["a truthy value that is not true", () => "yes" as unknown as boolean],
  ])("refuses when allowScrapeUrl answers %s", async (_name, allowScrapeUrl) => {
    const { handler, upstream } = proxy({ limits: { allowScrape: true, allowScrapeUrl } });
    const response = await handler(scrape({ url: "https://example.com" }));
    expect([response.status, await response.json()]).toStrictEqual([403, URL_FORBIDDEN]);
    expect(upstream.calls).toHaveLength(0);
  });

  it("accepts a promise of true, and answers 500 with no upstream call when the check throws", async () => {
    const allowed = proxy({ limits: { allowScrape: true, allowScrapeUrl: async () => true } });
    expect((await allowed.handler(scrape({ url: "https://example.com" }))).status).toBe(200);
    const failing = proxy({
      limits: {
        allowScrape: true,
        allowScrapeUrl: () => {
          throw new Error("dns down");
        },
      },
    });
    const response = await failing.handler(scrape({ url: "https://example.com" }));
    expect([response.status, await response.json()]).toStrictEqual([
      500,
      { success: false, code: "internal_error", error: "The interact proxy failed" },
    ]);
    expect(failing.upstream.calls).toHaveLength(0);
  });

  it("refuses a profile unless allowProfiles, as on create", async () => {
    const body = { url: "https://example.com", profile: { name: "shop" } };
    const off = proxy();
    const response = await off.handler(scrape(body));
    expect([response.status, await response.json()]).toStrictEqual([
      403,
      { success: false, code: "forbidden", error: "Profiles are not allowed by this proxy" },
    ]);
    expect(off.upstream.calls).toHaveLength(0);
    const on = proxy({ limits: { allowScrape: true, allowProfiles: true } });
    expect((await on.handler(scrape(body))).status).toBe(200);
    expect(on.upstream.calls[0]?.body).toStrictEqual({ url: "https://example.com/", profile: { name: "shop" } });
  });

  it.each([
    [{ allowScrape: "true" }, "limits.allowScrape must be a boolean (got string)"],
    [{ allowScrapeUrl: "example.com" }, "limits.allowScrapeUrl must be a function (got string)"],
    [{ allowedScrapeFormats: "markdown" }, "limits.allowedScrapeFormats must be an array"],
    [
      { allowedScrapeFormats: ["markdown", "pdf"] },
      'limits.allowedScrapeFormats has "pdf", not a scrape format of the spec (markdown, summary, html, rawHtml, ' +
        "links, images, screenshot, json, changeTracking, branding, product, menu, audio, video, question, highlights)",
    ],
  ])("refuses the limits %j when the handler is created", (limits, message) => {
    expect(() =>
      createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, limits: limits as unknown as InteractProxyLimits }),
    ).toThrow(new TypeError(`firecrawl-interact: ${message}`));
  });

  it.each([
    [timeout.minimum - 1, "minimum"],
    [timeout.maximum + 1, "maximum"],
    [1500.5, "type"],
  ])("refuses maxScrapeTimeout %s outside the spec's bounds (%s)", (maxScrapeTimeout, rule) => {
    let thrown: unknown;
    try {
      createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, limits: { maxScrapeTimeout } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InteractValidationError);
    expect(thrown).toMatchObject({ field: "limits.maxScrapeTimeout", rule });
  });
});

describe("a scrape is its user's: scrape → interact as the owner → 404 for anyone else", () => {
  /** An upstream that scrapes (one id per scrape), and answers every interaction and status. */
  function app(store: OwnerStore | undefined) {
    let next = 0;
    const upstream = fakeUpstream((call) => {
      if (call.method === "POST" && call.url === `${UPSTREAM}/scrape`)
        return { json: scraped(`${JOB.slice(0, -1)}${++next}`) };
      if (call.url.endsWith("/interact"))
        return { json: { success: true, liveViewUrl: "https://live.example/s", exitCode: 0, killed: false } };
      return { json: scraped() };
    });
    const handler = createInteractHandler({
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      store,
      limits: { allowScrape: true, allowScrapeInteract: true },
      authorize: (request) => {
        const user = request.headers.get("x-user");
        return user ? { userId: user } : false;
      },
    });
    const as = (user: string) => {
      const headers = { "x-user": user };
      return {
        scrape: async () => {
          const response = await handler(proxyRequest(SCRAPE, { json: { url: "https://example.com" }, headers }));
          return [response.status, (await response.json()) as ReturnType<typeof scraped>] as const;
        },
        interact: (id: string) => handler(proxyRequest(`${SCRAPE}/${id}/interact`, { json: { code: "1" }, headers })),
        stop: (id: string) => handler(proxyRequest(`${SCRAPE}/${id}/interact`, { method: "DELETE", headers })),
        status: (id: string) => handler(proxyRequest(`${SCRAPE}/${id}`, { headers })),
      };
    };
    return { upstream, alice: as("alice"), bob: as("bob") };
  }

  it("records the scrape for its user, who then interacts with it; another user's calls are 404 with no upstream call", async () => {
    const { upstream, alice, bob } = app(createMemoryOwnerStore());
    const [status, answer] = await alice.scrape();
    expect(status).toBe(200);
    const id = answer.data.metadata.scrapeId;
    expect(id).toBe(`${JOB.slice(0, -1)}1`);
    const calls = upstream.calls.length;
    for (const response of [await bob.interact(id), await bob.stop(id), await bob.status(id)]) {
      expect([response.status, await response.json()]).toStrictEqual([404, JOB_NOT_FOUND]);
    }
    expect(upstream.calls).toHaveLength(calls);
    expect((await alice.interact(id)).status).toBe(200);
    expect((await alice.status(id)).status).toBe(200);
    expect((await alice.stop(id)).status).toBe(200);
    expect(upstream.calls.slice(calls).map((call) => `${call.method} ${call.url}`)).toEqual([
      `POST ${UPSTREAM}/scrape/${id}/interact`,
      `GET ${UPSTREAM}/scrape/${id}`,
      `DELETE ${UPSTREAM}/scrape/${id}/interact`,
    ]);
    // Bob's own scrape is his, and still not Alice's.
    const [, bobs] = await bob.scrape();
    const bobsId = bobs.data.metadata.scrapeId;
    expect((await bob.interact(bobsId)).status).toBe(200);
    expect((await alice.interact(bobsId)).status).toBe(404);
  });

  it("tells the store the scrape's id, kind and expiry", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-11-26T10:00:00Z"));
    const added: unknown[][] = [];
    const store: OwnerStore = {
      add: async (...args) => void added.push(args),
      has: async () => false,
      list: async () => [],
    };
    const { alice } = app(store);
    await alice.scrape();
    expect(added).toStrictEqual([["alice", "scrape", `${JOB.slice(0, -1)}1`, Date.now() + SCRAPE_OWNERSHIP_MS]]);
  });

  it("records nothing for a failed scrape or an answer without a scrape id", async () => {
    const added: unknown[] = [];
    const store = { ...createMemoryOwnerStore(), add: async (...args: unknown[]) => void added.push(args) };
    for (const answer of [
      { status: 402, json: { success: false, error: "Payment required" } },
      { json: { success: true, data: { markdown: "x", metadata: {} } } },
    ]) {
      const upstream = fakeUpstream(() => answer);
      const handler = createInteractHandler({
        apiKey: FAKE_KEY,
        fetch: upstream.fetch,
        store,
        limits: { allowScrape: true },
        authorize: () => ({ userId: "alice" }),
      });
      await handler(proxyRequest(SCRAPE, { json: { url: "https://example.com" } }));
    }
    expect(added).toEqual([]);
  });

  it("scrapes without a store, but interacting with the scrape then needs one (501)", async () => {
    const { upstream, alice } = app(undefined);
    const [status, answer] = await alice.scrape();
    expect(status).toBe(200);
    const calls = upstream.calls.length;
    for (const response of [await alice.interact(answer.data.metadata.scrapeId), await alice.status(JOB)]) {
      expect(response.status).toBe(501);
      expect(((await response.json()) as { code: string }).code).toBe("owner_store_required");
    }
    expect(upstream.calls).toHaveLength(calls);
  });
});
