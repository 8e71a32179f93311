import { afterEach, describe, expect, it, vi } from "vitest";
import { createInteractHandler } from "./handler.js";
import { FAKE_KEY, type FakeUpstreamAnswer, fakeUpstream, proxyRequest } from "./test-helpers/fake-upstream.js";

const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything a browser could read from a response: status line, every header, the body, and the body decoded. */
async function visible(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  const body = await response.text();
  let decoded = "";
  try {
    // JSON.parse undoes escapes: a key spelled `\u0066c-…` reads as the key again.
    decoded = JSON.stringify(JSON.parse(body));
  } catch {}
  return `${response.status} ${response.statusText}\n${headers}\n\n${body}\n${decoded}`;
}

/** The key with every character written as a JSON `\uXXXX` escape, as an upstream may echo it. */
const ESCAPED_KEY = [...FAKE_KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

const echoingUpstream: [name: string, answer: FakeUpstreamAnswer][] = [
  ["a success body echoing the key", { json: { success: true, id: "s", note: `used ${FAKE_KEY}` } }],
  ["an error body echoing the key", { status: 401, json: { success: false, error: `Invalid key ${FAKE_KEY}` } }],
  [
    "headers echoing the key",
    { status: 429, json: {}, headers: { "retry-after": FAKE_KEY, "x-request-id": FAKE_KEY } },
  ],
  ["a success body echoing the key JSON-escaped", { text: `{"success":true,"id":"s","note":"${ESCAPED_KEY}"}` }],
  [
    "an error body echoing the key JSON-escaped",
    { status: 401, text: `{"success":false,"error":"Invalid key ${ESCAPED_KEY}"}` },
  ],
  ["an HTML page echoing the key", { status: 500, text: `<p>${FAKE_KEY}</p>` }],
  ["a network error naming the key", { networkError: new Error(`Bearer ${FAKE_KEY} refused`) }],
];

describe("the server key never reaches the browser or a log", () => {
  it.each(echoingUpstream)("%s is redacted", async (_name, answer) => {
    const spies = consoleMethods.map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const upstream = fakeUpstream(() => answer);
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      proxyRequest("/api/firecrawl/interact", { json: {} }),
    );
    const text = await visible(response);
    expect(text).not.toContain(FAKE_KEY);
    expect(upstream.calls[0]?.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("keeps the redacted text where the upstream put it", async () => {
    const upstream = fakeUpstream(() => ({ status: 401, json: { success: false, error: `Invalid key ${FAKE_KEY}` } }));
    const response = await createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, fetch: upstream.fetch })(
      proxyRequest("/api/firecrawl/interact"),
    );
    expect(await response.json()).toEqual({ success: false, error: "Invalid key [redacted]" });
  });

  it("answers every proxy-made error without the key", async () => {
    const spies = consoleMethods.map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const upstream = fakeUpstream();
    const strict = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      maxBodyBytes: 10,
    });
    const denying = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      authorize: () => false,
    });
    const throwing = createInteractHandler({
      passThrough: true,
      apiKey: FAKE_KEY,
      fetch: upstream.fetch,
      authorize: () => Promise.reject(new Error(FAKE_KEY)),
    });
    const responses = await Promise.all([
      strict(proxyRequest("/api/firecrawl/nope")),
      strict(proxyRequest("/api/firecrawl/interact", { method: "PUT" })),
      strict(proxyRequest("/api/firecrawl/interact", { json: { ttl: 1, pad: "xxxxxxxxxxxx" } })),
      strict(proxyRequest("/api/firecrawl/interact", { json: { ttl: 1 } })),
      strict(proxyRequest("/api/firecrawl/interact/s/execute", { json: { code: "1" } })),
      strict(proxyRequest("/api/firecrawl/scrape/3f2b8c1e-9d4a-4e6b-8a7c-1b2d3e4f5a6b/interact", { method: "DELETE" })),
      strict(proxyRequest("/api/firecrawl/scrape/not-a-job/interact", { json: { prompt: "p" } })),
      strict(
        proxyRequest("/api/firecrawl/interact", {
          method: "POST",
          body: "x",
          headers: { "content-type": "text/plain" },
        }),
      ),
      denying(proxyRequest("/api/firecrawl/interact")),
      throwing(proxyRequest("/api/firecrawl/interact")),
    ]);
    expect(responses.map((response) => response.status)).toEqual([404, 405, 413, 400, 403, 403, 404, 415, 401, 500]);
    for (const response of responses) expect(await visible(response)).not.toContain(FAKE_KEY);
    expect(upstream.calls).toHaveLength(0);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("never puts the key in a configuration error", () => {
    let message = "";
    try {
      createInteractHandler({ passThrough: true, apiKey: FAKE_KEY, basePath: "/../x", limits: { maxTtl: 1 } });
    } catch (error) {
      message = String(error);
    }
    expect(message).toBe(
      'TypeError: firecrawl-interact: basePath must be a plain path like "/api/firecrawl" (got "/../x")',
    );
  });
});
