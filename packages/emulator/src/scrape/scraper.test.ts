import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, leftovers, startSuiteEmulator } from "../test-helpers/index.js";
import { startScrapeSite } from "../test-helpers/scrape-site.js";
import { ACTION_TYPES } from "./actions.js";
import { DEFAULT_SCRAPE_TIMEOUT_MS, SCRAPE_FORMATS } from "./request.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startScrapeSite>>;
// The code every 400 of a broken bound carries (the same for the spec's operations and for scrape).
let badRequestCode: unknown;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startScrapeSite();
  // No warm pool: every Chromium launched shows in spawnedPids(), so "nothing launched" can be asserted.
  emulator = await startSuiteEmulator("emulator.scrape", { warmPool: 0 });
  badRequestCode = (await call(emulator, "POST", "/interact", { body: { ttl: "60" } })).body.code;
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.scrape", emulator, processesBefore);
});

const scrape = (body: unknown) => call(emulator, "POST", "/scrape", { body });

describe("400 before any navigation or launch", () => {
  const cases: [string, unknown, Record<string, unknown>][] = [
    ["a file: URL", { url: "file:///etc/passwd" }, { field: "url", rule: "pattern", limit: "^https?://" }],
    ["a javascript: URL", { url: "javascript:alert(1)" }, { field: "url", rule: "pattern", limit: "^https?://" }],
    ["a data: URL", { url: "data:text/html,<p>x</p>" }, { field: "url", rule: "pattern", limit: "^https?://" }],
    ["an ftp: URL", { url: "ftp://example.com/x" }, { field: "url", rule: "pattern", limit: "^https?://" }],
    ["a malformed URL", { url: "http://exa mple.com" }, { field: "url", rule: "format", limit: "uri" }],
    ["a URL without a host", { url: "http://" }, { field: "url", rule: "format", limit: "uri" }],
    ["an empty URL", { url: "" }, { field: "url", rule: "minLength", limit: 1 }],
    ["no URL", {}, { field: "url", rule: "required" }],
    ["a number URL", { url: 42 }, { field: "url", rule: "type", limit: "string" }],
    [
      "formats not an array",
      { url: "http://x.test", formats: "markdown" },
      { field: "formats", rule: "type", limit: "array" },
    ],
    [
      "an unknown format",
      { url: "http://x.test", formats: ["markdown", "pdf"] },
      { field: "formats[1]", rule: "enum", limit: SCRAPE_FORMATS },
    ],
    [
      "a Firecrawl format the emulator lacks",
      { url: "http://x.test", formats: [{ type: "json", prompt: "x" }] },
      { field: "formats[0].type", rule: "enum", limit: SCRAPE_FORMATS },
    ],
    [
      "a format of the wrong type",
      { url: "http://x.test", formats: [1] },
      { field: "formats[0]", rule: "type", limit: "string" },
    ],
    [
      "a string waitFor",
      { url: "http://x.test", waitFor: "100" },
      { field: "waitFor", rule: "type", limit: "integer" },
    ],
    ["a negative waitFor", { url: "http://x.test", waitFor: -1 }, { field: "waitFor", rule: "minimum", limit: 0 }],
    [
      "a fractional timeout",
      { url: "http://x.test", timeout: 1500.5 },
      { field: "timeout", rule: "type", limit: "integer" },
    ],
    ["a timeout under 1 s", { url: "http://x.test", timeout: 999 }, { field: "timeout", rule: "minimum", limit: 1000 }],
    [
      "a timeout over 300 s",
      { url: "http://x.test", timeout: 300_001 },
      { field: "timeout", rule: "maximum", limit: 300_000 },
    ],
    [
      "waitFor over half the timeout",
      { url: "http://x.test", waitFor: 2_001, timeout: 4_000 },
      { field: "waitFor", rule: "maximum", limit: 2_000, message: "waitFor must not exceed half of timeout" },
    ],
    ["a profile without name", { url: "http://x.test", profile: {} }, { field: "profile.name", rule: "required" }],
    [
      "a key Firecrawl does not know",
      { url: "http://x.test", colour: "red" },
      {
        field: "colour",
        rule: "enum",
        limit: expect.arrayContaining(["url", "formats", "waitFor", "timeout", "profile"]),
      },
    ],
    [
      "an action of an unknown type",
      { url: "http://x.test", actions: [{ type: "hover" }] },
      { field: "actions[0].type", rule: "enum", limit: ACTION_TYPES },
    ],
    ["an array body", [], { field: "body", rule: "type", limit: "object" }],
  ];

  test.each(cases)("scrape with %s → 400", async (_label, body, details) => {
    const answer = await scrape(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ success: false, code: badRequestCode, error: expect.any(String), details });
    expect(emulator.spawnedPids()).toEqual([]);
  });

  test("the messages say what is wrong", async () => {
    expect((await scrape({ url: "file:///etc/passwd" })).body.error).toBe(
      "url uses an unsupported protocol (file:); only http and https",
    );
    expect((await scrape({ url: "http://x.test", formats: ["summary"] })).body.error).toBe(
      `formats[0] "summary" is not supported by the emulator; the emulator's formats are ${SCRAPE_FORMATS.join(", ")}`,
    );
    expect((await scrape({ url: "http://x.test", colour: "red" })).body.error).toBe("Unrecognized key in body: colour");
    expect((await scrape({ url: "http://x.test", waitFor: 2_001, timeout: 4_000 })).body.error).toBe(
      "waitFor must not exceed half of timeout",
    );
  });

  test("a malformed Authorization is a 401 (no header at all too, unless keylessScrape); a non-JSON body is a 400", async () => {
    const unauthorized = await call(emulator, "POST", "/scrape", { body: { url: site.origin }, auth: "Basic x" });
    expect([unauthorized.status, unauthorized.body]).toEqual([
      401,
      { success: false, error: "Unauthorized: missing or invalid API key", code: "unauthorized" },
    ]);
    const keyless = await call(emulator, "POST", "/scrape", { body: { url: site.origin }, auth: null });
    expect([keyless.status, keyless.body.code]).toEqual([401, "unauthorized"]);
    const notJson = await call(emulator, "POST", "/scrape", { rawBody: "{url:" });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ success: false, error: "Request body is not valid JSON" });
    expect(emulator.spawnedPids()).toEqual([]);
  });
});

describe("scrape on real Chromium", () => {
  test("markdown, html, rawHtml and links of a known page, Firecrawl's metadata, and the browser is gone after", async () => {
    const { origin } = site;
    const answer = await scrape({ url: `${origin}/article`, formats: ["markdown", "html", "rawHtml", "links"] });
    expect(answer.status).toBe(200);
    const data = answer.body.data as Record<string, unknown>;
    expect(Object.keys(answer.body)).toEqual(["success", "data"]);
    expect(answer.body.success).toBe(true);
    expect(data.markdown).toBe(
      [
        "# Hello, emulator",
        "",
        `Some **bold** text and [a relative link](${origin}/about).`,
        "",
        "-   one",
        "-   two",
        "",
        `[External](https://example.com/x) [Top](${origin}/article#top) [Again](${origin}/about) [Mail](mailto:a@example.com)`,
        "",
        `![Logo](${origin}/logo.png)`,
      ].join("\n"),
    );
    // Firecrawl's cleaned HTML: no head, scripts, styles or noscript; absolute URLs; the DOM after scripts ran.
    expect(data.html).toBe(
      `<html lang="en"><body data-ran="yes"><h1>Hello, emulator</h1>\n` +
        `<p>Some <strong>bold</strong> text and <a href="${origin}/about">a relative link</a>.</p>\n` +
        "<ul><li>one</li><li>two</li></ul>\n" +
        `<p><a href="https://example.com/x">External</a> <a href="${origin}/article#top">Top</a> ` +
        `<a href="${origin}/about">Again</a> <a href="mailto:a@example.com">Mail</a></p>\n` +
        `<img src="${origin}/logo.png" alt="Logo">\n\n</body></html>`,
    );
    // rawHtml is the whole rendered document, unfiltered.
    expect(data.rawHtml).toMatch(/^<!DOCTYPE html><html lang="en"><head><title>Scrape fixture<\/title>/);
    expect(data.rawHtml).toContain('<noscript>no script</noscript><script>document.body.dataset.ran = "yes";</script>');
    expect(data.rawHtml).toContain('<a href="/about">a relative link</a>');
    // Absolute, deduplicated, without fragment-only links; mailto kept as is.
    expect(data.links).toEqual([`${origin}/about`, "https://example.com/x", "mailto:a@example.com"]);
    expect(data.metadata).toEqual({
      title: "Scrape fixture",
      sourceURL: `${origin}/article`,
      url: `${origin}/article`,
      statusCode: 200,
      scrapeId: expect.stringMatching(UUID),
    });
    expect(site.requests.filter((request) => request.path === "/article").at(-1)).toEqual({
      path: "/article",
      cookie: undefined,
    });
    // The scrape's browser was killed with its temp profile; no session was opened.
    expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
    expect(emulator.sessions()).toEqual([]);
  });

  test("markdown by default; the object form of formats; a redirect gives the final url; a 404 page is a 200", async () => {
    const plain = await scrape({ url: `${site.origin}/redirect` });
    expect(Object.keys(plain.body.data as object)).toEqual(["markdown", "metadata"]);
    expect((plain.body.data as { metadata: unknown }).metadata).toMatchObject({
      sourceURL: `${site.origin}/redirect`,
      url: `${site.origin}/article`,
      statusCode: 200,
    });
    const objects = await scrape({ url: `${site.origin}/about`, formats: [{ type: "markdown" }, { type: "links" }] });
    expect(objects.body.data).toEqual({
      markdown: "About us",
      links: [],
      metadata: expect.objectContaining({ title: "About", statusCode: 200 }),
    });
    const missing = await scrape({ url: `${site.origin}/missing`, formats: ["markdown"] });
    expect(missing.status).toBe(200);
    expect(missing.body.data).toMatchObject({ markdown: "missing", metadata: { title: "Not found", statusCode: 404 } });
    const untitled = await scrape({ url: `${site.origin}/untitled` });
    expect((untitled.body.data as { metadata: object }).metadata).not.toHaveProperty("title");
  });

  test("a URL without a scheme is loaded over http, as Firecrawl does", async () => {
    const host = site.origin.replace("http://", "");
    const answer = await scrape({ url: `${host}/about` });
    expect(answer.status).toBe(200);
    expect((answer.body.data as { metadata: unknown }).metadata).toMatchObject({
      sourceURL: `${site.origin}/about`,
      url: `${site.origin}/about`,
    });
  });

  test("screenshot is a PNG data URL (fullPage too); fields Firecrawl uses for caching are accepted and ignored", async () => {
    const answer = await scrape({
      url: `${site.origin}/about`,
      formats: ["screenshot", "markdown"],
      onlyMainContent: true,
      maxAge: 0,
      blockAds: true,
      waitFor: 50,
      timeout: DEFAULT_SCRAPE_TIMEOUT_MS,
    });
    expect(answer.status).toBe(200);
    const screenshot = (answer.body.data as { screenshot: string }).screenshot;
    expect(screenshot).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(screenshot.slice(screenshot.indexOf(",") + 1), "base64");
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    const full = await scrape({ url: `${site.origin}/about`, formats: [{ type: "screenshot", fullPage: true }] });
    expect((full.body.data as { screenshot: string }).screenshot).toMatch(/^data:image\/png;base64,/);
  });

  test("a page that never answers → 408 at the timeout, its browser killed", async () => {
    const started = Date.now();
    const answer = await scrape({ url: `${site.origin}/hang`, timeout: 1_500 });
    expect([answer.status, answer.body]).toEqual([
      408,
      { success: false, code: "timeout", error: "Scrape timed out after 1500 ms" },
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
  });

  test("a host that refuses connections → 502 naming the URL", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const answer = await scrape({ url: `http://127.0.0.1:${port}/x`, timeout: 10_000 });
    expect([answer.status, answer.body]).toEqual([
      502,
      {
        success: false,
        code: "upstream_unreachable",
        error: `Could not load http://127.0.0.1:${port}/x: net::ERR_CONNECTION_REFUSED`,
      },
    ]);
  });

  test("close() during a scrape answers it and leaves no browser behind", async () => {
    const own = await startSuiteEmulator("emulator.scrape-close", { warmPool: 0 });
    const hangs = () => site.requests.filter((request) => request.path === "/hang").length;
    const hangsBefore = hangs();
    const running = call(own, "POST", "/scrape", { body: { url: `${site.origin}/hang`, timeout: 60_000 } }).catch(
      (error: unknown) => error,
    );
    const deadline = Date.now() + 20_000;
    while (hangs() === hangsBefore) {
      if (Date.now() > deadline) throw new Error("the scrape did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await finishSuite("emulator.scrape-close", own, processesBefore);
    const answer = await running;
    // Either the 503 arrived before the socket went, or the connection was cut: never a hang.
    if (!(answer instanceof Error)) expect(answer).toMatchObject({ status: 503, body: { code: "unavailable" } });
  });
});
