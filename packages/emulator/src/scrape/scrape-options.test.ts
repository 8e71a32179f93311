import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../emulator.js";
import { call, chromiumProcessCount, finishSuite, leftovers, startSuiteEmulator } from "../test-helpers/index.js";
import { JSON_BODY, startOptionsSite, startSelfSignedSite, TEXT_BODY } from "../test-helpers/options-site.js";

let emulator: Emulator;
let site: Awaited<ReturnType<typeof startOptionsSite>>;
const processesBefore = chromiumProcessCount();

beforeAll(async () => {
  site = await startOptionsSite();
  emulator = await startSuiteEmulator("emulator.scrape-options", { warmPool: 0 });
});

afterAll(async () => {
  await site?.close();
  await finishSuite("emulator.scrape-options", emulator, processesBefore);
});

type Data = Record<string, unknown> & { metadata: Record<string, unknown>; actions?: Record<string, unknown[]> };

/** Scrapes with a body and returns the answer's data (the answer must be a 200). */
async function scrapeData(body: Record<string, unknown>): Promise<Data> {
  const answer = await call(emulator, "POST", "/scrape", { body });
  expect([answer.status, answer.body.success]).toEqual([200, true]);
  return answer.body.data as Data;
}

/** The bytes of a `data:` URL, checked to be of the given media type. */
function dataUrlBytes(url: unknown, type: string): Buffer {
  expect(String(url).startsWith(`data:${type};base64,`)).toBe(true);
  return Buffer.from(String(url).slice(String(url).indexOf(",") + 1), "base64");
}

/** Width and height of a PNG (its IHDR) or a JPEG (its first SOF0 marker). */
function imageSize(bytes: Buffer): { width: number; height: number } {
  if (bytes[0] === 0x89) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  for (let at = 2; at < bytes.length; at += 2 + bytes.readUInt16BE(at + 2)) {
    if (bytes[at + 1] === 0xc0) return { width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5) };
  }
  throw new Error("no image size found");
}

describe("the page's content: main-content cut, tags, images, attributes", () => {
  test("onlyMainContent (Firecrawl's default) drops header, nav, aside, footer and ads, but keeps a header that holds #main", async () => {
    const { origin } = site;
    const data = await scrapeData({ url: `${origin}/layout`, formats: ["markdown"] });
    expect(data.markdown).toBe(
      [
        "Kept: this header holds #main",
        "",
        "# Article",
        "",
        "Lead paragraph",
        "",
        `![A](${origin}/a.png)![B](${origin}/b-3x.png) ![Dot](<Base64-Image-Removed>)![C](${origin}/c.png) onetwo`,
        "",
        "Go",
        "",
        "bottom",
      ].join("\n"),
    );
    const whole = await scrapeData({ url: `${origin}/layout`, onlyMainContent: false, formats: ["markdown"] });
    for (const boilerplate of ["Site header", `[Home](${origin}/home)`, "Buy now", "Related", "Site footer"]) {
      expect(whole.markdown).toContain(boilerplate);
      expect(data.markdown).not.toContain(boilerplate);
    }
    // removeBase64Images: false keeps the data: URL in the markdown.
    const withDot = await scrapeData({ url: `${origin}/layout`, removeBase64Images: false, formats: ["markdown"] });
    expect(withDot.markdown).toContain("![Dot](data:image/png;base64,iVBORw0KGgo");
  });

  test("includeTags keeps only the matching elements (outermost once), excludeTags removes its matches, in html and markdown", async () => {
    const data = await scrapeData({
      url: `${site.origin}/layout`,
      includeTags: ["article", ".lead", "#out"],
      excludeTags: [".ad", "img", "picture"],
      formats: ["markdown", "html"],
    });
    expect(data.html).toBe(
      '<html lang="en"><body><article><h1>Article</h1><p class="lead">Lead paragraph</p>\n\n\n' +
        `<video poster="${site.origin}/poster.jpg"></video><span data-sku="s-1">one</span>` +
        '<span data-sku="s-2">two</span></article><p id="out"></p></body></html>',
    );
    expect(data.markdown).toBe("# Article\n\nLead paragraph\n\nonetwo");
  });

  test("a selector the page cannot parse is skipped and named in data.warning", async () => {
    const data = await scrapeData({
      url: `${site.origin}/layout`,
      includeTags: ["h1", "p:::bad"],
      formats: ["markdown"],
    });
    expect(data.markdown).toBe("# Article");
    expect(data.warning).toBe("Selectors the page could not parse were skipped: p:::bad.");
  });

  test("images: img src and srcset, picture sources, a video poster, og:image and icons, absolute, no data: URLs; attributes by selector", async () => {
    const { origin } = site;
    const data = await scrapeData({
      url: `${origin}/layout`,
      formats: [
        "images",
        "links",
        { type: "attributes", selectors: [{ selector: "[data-sku]", attribute: "data-sku" }] },
      ],
    });
    expect(data.images).toEqual(
      ["a.png", "b.png", "c.png", "b-2x.png", "b-3x.png", "c.webp", "poster.jpg", "og.png", "favicon.ico"].map(
        (name) => `${origin}/${name}`,
      ),
    );
    expect(data.links).toEqual([`${origin}/home`]);
    expect(data.attributes).toEqual([{ selector: "[data-sku]", attribute: "data-sku", values: ["s-1", "s-2"] }]);
    expect(Object.keys(data)).toEqual(["links", "images", "attributes", "metadata"]);
  });
});

describe("how the page is loaded: headers, mobile, screenshot options", () => {
  test("headers go with the page's requests", async () => {
    const data = await scrapeData({ url: `${site.origin}/headers`, headers: { "X-Test": "from-the-scrape" } });
    expect(data.markdown).toBe("X-Test: from-the-scrape");
    expect(site.requests.filter((request) => request.path === "/headers").at(-1)?.headers["x-test"]).toBe(
      "from-the-scrape",
    );
    expect((await scrapeData({ url: `${site.origin}/headers` })).markdown).toBe("X-Test: none");
  });

  test("mobile: a 390 px phone screen with touch and a Mobile user agent; without it the 1280 px desktop", async () => {
    const mobile = await scrapeData({
      url: `${site.origin}/device`,
      mobile: true,
      formats: ["markdown", "screenshot"],
    });
    expect(JSON.parse(mobile.markdown as string)).toEqual({ width: 390, mobile: true, touch: true });
    expect(site.requests.filter((request) => request.path === "/device").at(-1)?.headers["user-agent"]).toMatch(
      /\(Linux; Android 10; K\).* Chrome\/[\d.]+ Mobile Safari\/537\.36$/,
    );
    // The phone's screen, in CSS pixels.
    expect(imageSize(dataUrlBytes(mobile.screenshot, "image/png"))).toEqual({ width: 390, height: 844 });
    const desktop = await scrapeData({ url: `${site.origin}/device` });
    expect(JSON.parse(desktop.markdown as string)).toEqual({ width: 1280, mobile: false, touch: false });
  });

  test("screenshot quality gives a JPEG, viewport its size, fullPage the whole page", async () => {
    const url = `${site.origin}/layout`;
    const jpeg = await scrapeData({
      url,
      formats: [{ type: "screenshot", quality: 60, viewport: { width: 640, height: 480 } }],
    });
    expect(imageSize(dataUrlBytes(jpeg.screenshot, "image/jpeg"))).toEqual({ width: 640, height: 480 });
    const viewport = await scrapeData({ url, formats: ["screenshot"] });
    const full = await scrapeData({ url, formats: [{ type: "screenshot", fullPage: true }] });
    expect(imageSize(dataUrlBytes(viewport.screenshot, "image/png"))).toEqual({ width: 1280, height: 720 });
    const page = imageSize(dataUrlBytes(full.screenshot, "image/png"));
    expect(page.width).toBe(1280);
    expect(page.height).toBeGreaterThan(3000);
  });
});

describe("TLS: Firecrawl skips certificate checks unless the scrape sends headers or actions", () => {
  test("a self-signed site loads by default, and is a 502 with skipTlsVerification: false or with headers", async () => {
    const tls = await startSelfSignedSite();
    try {
      const loaded = await scrapeData({ url: tls.origin });
      expect(loaded.markdown).toBe("Behind a self-signed certificate");
      const refused = {
        success: false,
        code: "upstream_unreachable",
        error: `Could not load ${tls.origin}: net::ERR_CERT_AUTHORITY_INVALID`,
      };
      for (const options of [{ skipTlsVerification: false }, { headers: { "X-Test": "1" } }]) {
        const answer = await call(emulator, "POST", "/scrape", { body: { url: tls.origin, ...options } });
        expect([answer.status, answer.body]).toEqual([502, refused]);
      }
      const checked = await scrapeData({ url: tls.origin, headers: { "X-Test": "1" }, skipTlsVerification: true });
      expect(checked.markdown).toBe("Behind a self-signed certificate");
    } finally {
      await tls.close();
    }
  });
});

describe("bodies that are not HTML keep their body", () => {
  test("JSON: rawHtml is the body, markdown fences it; text: rawHtml and markdown are the body, unescaped", async () => {
    const json = await scrapeData({ url: `${site.origin}/data.json`, formats: ["markdown", "rawHtml", "links"] });
    expect(json).toEqual({
      markdown: `\`\`\`json\n${JSON_BODY}\n\`\`\``,
      rawHtml: JSON_BODY,
      links: [],
      metadata: {
        sourceURL: `${site.origin}/data.json`,
        url: `${site.origin}/data.json`,
        statusCode: 200,
        scrapeId: expect.any(String),
      },
    });
    expect(JSON.parse(json.rawHtml as string)).toEqual({ id: 1, title: "# not a heading", tags: ["a", "b"] });
    const text = await scrapeData({ url: `${site.origin}/notes.txt`, formats: ["markdown", "rawHtml"] });
    expect([text.markdown, text.rawHtml]).toEqual([TEXT_BODY, TEXT_BODY]);
  });

  test("a binary body: rawBase64 carries it, and the warning says it was not parsed", async () => {
    const data = await scrapeData({ url: `${site.origin}/file.bin`, formats: ["rawBase64"] });
    expect(Buffer.from(data.rawBase64 as string, "base64")).toEqual(Buffer.from([0, 1, 2, 250, 255]));
    expect(data.warning).toBe("The emulator does not parse PDF or image files: only rawBase64 carries this body.");
  });
});

describe("the URL and the options the emulator does not honour", () => {
  test("sourceURL is the URL as sent (http://h:p?a=1 stays so); url is where the page ended", async () => {
    const sent = `${site.origin}?a=1`;
    const data = await scrapeData({ url: sent, formats: ["links"] });
    expect(data.metadata).toMatchObject({ sourceURL: sent, url: `${site.origin}/?a=1` });
  });

  test.each([
    ["not-a-valid-url", "URL must have a valid top-level domain or be an IP address"],
    ["http://exa mple.com", 'url must be a valid http or https URL (got "http://exa mple.com")'],
  ])("%s → 400 before anything launches", async (url, error) => {
    const launched = emulator.spawnedPids().length;
    const answer = await call(emulator, "POST", "/scrape", { body: { url } });
    expect([answer.status, answer.body]).toEqual([
      400,
      { success: false, code: "BAD_REQUEST", error, details: { field: "url", rule: "format", limit: "uri" } },
    ]);
    expect(emulator.spawnedPids().length).toBe(launched);
  });

  test("every key of Firecrawl's scrape body is accepted; those that ask for what the emulator cannot do are named in data.warning", async () => {
    const data = await scrapeData({
      url: `${site.origin}/headers`,
      formats: ["markdown"],
      location: { country: "DE", languages: ["de-DE"] },
      minAge: 1,
      proxy: "stealth",
      blockAds: true,
      onlyCleanContent: true,
      __experimental_omce: true,
      __experimental_omceDomain: "example.com",
      // These ask for nothing the emulator does not do: no warning.
      maxAge: 0,
      storeInCache: false,
      fastMode: true,
      parsers: ["pdf"],
      integration: "test",
      skipTlsVerification: true,
    });
    expect(data.warning).toBe(
      "The emulator did not honour: onlyCleanContent (an LLM pass the emulator does not have); " +
        "minAge (the emulator keeps no cache, so it loaded the page); " +
        "location (the emulator has no proxies and emulates no country or language); " +
        "proxy (the emulator loads pages directly, with no proxy); " +
        "blockAds (the emulator blocks no ads or cookie banners); " +
        "__experimental_omce (an internal switch of Firecrawl's engines); " +
        "__experimental_omceDomain (an internal switch of Firecrawl's engines).",
    );
    expect(data.markdown).toBe("X-Test: none");
    expect(leftovers(emulator)).toEqual({ alivePids: [], dirs: [] });
  });
});
