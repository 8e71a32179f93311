import { randomUUID } from "node:crypto";
import type { BrowserContext, Cookie, Page, Response } from "playwright-core";
import { connectPlaywright, defaultContext, disconnectPlaywright } from "../browser/playwright.js";
import { EmulatorHttpError, firstLine } from "../errors.js";
import { type ActionResults, runActions, takeScreenshot } from "./action-runner.js";
import { type BodyKind, bodyKind, htmlToMarkdown, removeBase64Images, textBodyContent } from "./markdown.js";
import { type PageContent, readPageContent } from "./page-content.js";
import { preparePage } from "./prepare-page.js";
import type { ScrapeRequest } from "./request.js";

/** The state of a scraped page that its interact session reopens before replaying the scrape. */
export interface PageState {
  /** Every cookie the scrape's browser held after the page loaded. */
  cookies: Cookie[];
  /** The page origin's localStorage, when it has one. */
  localStorage: { origin: string; items: [string, string][] } | undefined;
}

/** `data` of a scrape answer, in Firecrawl's shape: one field per requested format, and the page's metadata. */
export interface ScrapeData {
  markdown?: string;
  html?: string;
  rawHtml?: string;
  rawBase64?: string;
  links?: string[];
  images?: string[];
  /** A `data:image/png;base64,…` (or jpeg, with a quality) URL; Firecrawl answers a link to a stored image. */
  screenshot?: string;
  attributes?: PageContent["attributes"];
  /** The outputs of the request's actions, when it had any. */
  actions?: ActionResults;
  /** What of the request the emulator did not honour (or could not read), in one sentence per cause. */
  warning?: string;
  metadata: {
    title?: string;
    /** The URL as the request sent it. */
    sourceURL: string;
    /** The page's URL after redirects. */
    url: string;
    statusCode: number;
    /** The id to pass to `POST /v2/scrape/{jobId}/interact` and `GET /v2/scrape/{jobId}`. */
    scrapeId: string;
  };
}

// Runs in the page: its origin's localStorage, when the origin has one (opaque origins throw).
const READ_LOCAL_STORAGE = `(() => {
  try {
    return { origin: location.origin, items: Object.entries(localStorage) };
  } catch {
    return undefined;
  }
})()`;

/** The 408 of a scrape that ran past its timeout. */
export const scrapeTimedOut = (timeoutMs: number): EmulatorHttpError =>
  new EmulatorHttpError(408, "timeout", `Scrape timed out after ${timeoutMs} ms`);

const isTimeout = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

const NOT_PARSED = "The emulator does not parse PDF or image files: only rawBase64 carries this body.";

/** The main document's answer: from the page's navigation, or fetched when Chromium downloads it instead. */
interface MainResponse {
  status: number;
  /** Where a fetched download ended (a shown page's URL is the page's). */
  url?: string | undefined;
  contentType: string | undefined;
  body(): Promise<Buffer>;
}

const fromNavigation = (response: Response | null): MainResponse | undefined =>
  response
    ? { status: response.status(), contentType: response.headers()["content-type"], body: () => response.body() }
    : undefined;

/** The page's content as the formats need it, for a rendered page or a JSON, text or binary body. */
async function readContent(page: Page, main: MainResponse | undefined, kind: BodyKind, request: ScrapeRequest) {
  const attributes = request.formats.attributes ?? [];
  if (kind === "html") {
    const content = await readPageContent(page, request.content, attributes);
    const markdown = htmlToMarkdown(content.html);
    const rawHtml = await page.content();
    const body = request.formats.names.has("rawBase64") && main ? await main.body() : undefined;
    return {
      ...content,
      rawHtml,
      body,
      markdown: request.content.removeBase64Images ? removeBase64Images(markdown) : markdown,
    };
  }
  const body = main ? await main.body() : Buffer.alloc(0);
  const empty = { title: "", links: [], images: [], invalidSelectors: [] };
  const noAttributes = attributes.map(({ selector, attribute }) => ({ selector, attribute, values: [] }));
  if (kind === "binary") return { ...empty, html: "", rawHtml: "", markdown: "", attributes: noAttributes, body };
  const text = body.toString("utf8");
  return { ...empty, ...textBodyContent(kind, text), rawHtml: text, attributes: noAttributes, body };
}

function warningOf(request: ScrapeRequest, kind: BodyKind, invalidSelectors: string[]): string | undefined {
  const parts = [
    request.warning,
    invalidSelectors.length > 0
      ? `Selectors the page could not parse were skipped: ${invalidSelectors.join(", ")}.`
      : "",
    kind === "binary" ? NOT_PARSED : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/**
 * Navigates to the scrape's URL. A body Chromium downloads instead of showing (a PDF, a binary file) is fetched
 * with the page's cookies and headers, so its bytes still reach the answer.
 */
async function loadPage(
  context: BrowserContext,
  page: Page,
  request: ScrapeRequest,
  remaining: () => number,
): Promise<MainResponse | undefined> {
  try {
    return fromNavigation(await page.goto(request.url, { waitUntil: "load", timeout: remaining() }));
  } catch (error) {
    if (isTimeout(error)) throw scrapeTimedOut(request.timeoutMs);
    if (/Download is starting/.test(firstLine(error))) {
      const fetched = await context.request.get(request.url, { headers: request.headers, timeout: remaining() });
      const contentType = fetched.headers()["content-type"];
      return { status: fetched.status(), url: fetched.url(), contentType, body: () => fetched.body() };
    }
    // Playwright's "page.goto: net::ERR_… at <url>" without the parts the message already has.
    const reason = firstLine(error)
      .replace(/^page\.goto: /, "")
      .replace(/ at \S+$/, "");
    throw new EmulatorHttpError(502, "upstream_unreachable", `Could not load ${request.sourceURL}: ${reason}`);
  }
}

/**
 * Loads a scrape's page in a browser (headers, mobile and viewport set first), waits, runs its actions, and reads
 * it in the requested formats, plus the state an interact session reopens (cookies, localStorage).
 */
export async function readScrape(
  wsEndpoint: string,
  request: ScrapeRequest,
  deadline: number,
): Promise<{ data: ScrapeData; state: PageState }> {
  const playwright = await connectPlaywright(wsEndpoint);
  try {
    const context = defaultContext(playwright);
    const page = context.pages()[0] ?? (await context.newPage());
    const remaining = () => Math.max(1, deadline - Date.now());
    const { headers, mobile, skipTlsVerification } = request;
    await preparePage(context, page, {
      headers,
      mobile,
      skipTlsVerification,
      viewport: request.formats.screenshot?.viewport,
    });
    const main = await loadPage(context, page, request, remaining);
    if (request.waitForMs > 0) await new Promise((resolve) => setTimeout(resolve, request.waitForMs));
    const kind = bodyKind(main?.contentType);
    let actions: ActionResults | undefined;
    try {
      actions = request.hasActions ? await runActions(page, request.actions, { remaining }) : undefined;
    } catch (error) {
      throw isTimeout(error) ? scrapeTimedOut(request.timeoutMs) : error;
    }
    const content = await readContent(page, main, kind, request);
    const state: PageState = {
      cookies: await context.cookies(),
      localStorage: await page.evaluate<PageState["localStorage"]>(READ_LOCAL_STORAGE),
    };
    const { screenshot } = request.formats;
    const image = screenshot
      ? await takeScreenshot(page, { fullPage: screenshot.fullPage, quality: screenshot.quality }, remaining())
      : undefined;
    return { data: scrapeData(request, content, { page, main, actions, image, kind }), state };
  } finally {
    await disconnectPlaywright(playwright);
  }
}

type Content = Awaited<ReturnType<typeof readContent>>;

/** Builds the answer's `data`: the requested formats in Firecrawl's field order, then warning and metadata. */
function scrapeData(
  request: ScrapeRequest,
  content: Content,
  read: {
    page: Page;
    main: MainResponse | undefined;
    actions?: ActionResults | undefined;
    image?: string | undefined;
    kind: BodyKind;
  },
): ScrapeData {
  const formats = request.formats.names;
  const warning = warningOf(request, read.kind, content.invalidSelectors);
  const rawBase64 = formats.has("rawBase64") ? { rawBase64: content.body?.toString("base64") ?? "" } : {};
  return {
    ...(formats.has("markdown") ? { markdown: content.markdown } : {}),
    ...(formats.has("html") ? { html: content.html } : {}),
    ...(formats.has("rawHtml") ? { rawHtml: content.rawHtml } : {}),
    ...rawBase64,
    ...(formats.has("links") ? { links: content.links } : {}),
    ...(formats.has("images") ? { images: content.images } : {}),
    ...(read.image ? { screenshot: read.image } : {}),
    ...(formats.has("attributes") ? { attributes: content.attributes } : {}),
    ...(read.actions ? { actions: read.actions } : {}),
    ...(warning ? { warning } : {}),
    metadata: {
      // Firecrawl's metadata: the title only when the page has one; the status of the main document.
      ...(content.title ? { title: content.title } : {}),
      sourceURL: request.sourceURL,
      url: read.main?.url ?? read.page.url(),
      statusCode: read.main?.status ?? 200,
      scrapeId: randomUUID(),
    },
  };
}
