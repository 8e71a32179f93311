import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import TurndownService from "turndown";
import type { LaunchedBrowser } from "../browser/launch.js";
import type { OpenBrowser } from "../browser/open-browser.js";
import { connectPlaywright, defaultContext, disconnectPlaywright } from "../browser/playwright.js";
import { browserFailed, EmulatorHttpError, firstLine, shuttingDown } from "../errors.js";
import type { PageState } from "./jobs.js";
import type { ScrapeRequest } from "./request.js";

/** `data` of a scrape answer, in Firecrawl's shape: one field per requested format, and the page's metadata. */
export interface ScrapeData {
  markdown?: string;
  html?: string;
  rawHtml?: string;
  links?: string[];
  /** A `data:image/png;base64,…` URL (Firecrawl answers a link to a stored image). */
  screenshot?: string;
  metadata: {
    title?: string;
    /** The URL the request asked for. */
    sourceURL: string;
    /** The page's URL after redirects. */
    url: string;
    statusCode: number;
    /** The id to pass to `POST /v2/scrape/{jobId}/interact`. */
    scrapeId: string;
  };
}

/** What the scraper needs to start browsers. */
export interface ScraperOptions {
  /** Gets a scrape's browser (its profile's, or a warm one). */
  openBrowser: OpenBrowser;
  /** Most scrapes running at once; more answer 429. */
  maxConcurrent: number;
}

// ATX headings, fenced code and "-" bullets: the markdown style Firecrawl's own converter writes.
const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });

/** Converts (cleaned) HTML to Markdown with turndown, which parses it with its bundled DOM in Node. */
export const htmlToMarkdown = (html: string): string => turndown.turndown(html);

// Page scripts are sources, not functions: a transpiler's helpers (esbuild's __name) would not exist in the page.

/** What {@link EXTRACT_PAGE} answers. */
interface Extracted {
  title: string;
  html: string;
  links: string[];
}

// Runs in the page: Firecrawl's cleaned HTML (no head, scripts, styles; absolute URLs) and its link list.
const EXTRACT_PAGE = `(() => {
  const absolute = (value) => {
    try {
      return new URL(value, document.baseURI).href;
    } catch {
      return value;
    }
  };
  // Into a document without a browsing context: rewritten src attributes load nothing there.
  const clone = document.implementation.createHTMLDocument("").importNode(document.documentElement, true);
  for (const element of clone.querySelectorAll("head, script, style, noscript, meta, link, template")) element.remove();
  for (const attribute of ["href", "src"]) {
    for (const element of clone.querySelectorAll("[" + attribute + "]")) {
      element.setAttribute(attribute, absolute(element.getAttribute(attribute) ?? ""));
    }
  }
  const links = [];
  for (const anchor of document.querySelectorAll("a[href]")) {
    const href = (anchor.getAttribute("href") ?? "").trim();
    if (href === "" || href.startsWith("#") || /^javascript:/i.test(href)) continue;
    links.push(/^mailto:/i.test(href) ? href : absolute(href));
  }
  return { title: document.title, html: clone.outerHTML, links: [...new Set(links)] };
})()`;

// Runs in the page: its origin's localStorage, when the origin has one (opaque origins throw).
const READ_LOCAL_STORAGE = `(() => {
  try {
    return { origin: location.origin, items: Object.entries(localStorage) };
  } catch {
    return undefined;
  }
})()`;

const scrapeTimedOut = (timeoutMs: number) =>
  new EmulatorHttpError(408, "timeout", `Scrape timed out after ${timeoutMs} ms`);

const isTimeout = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

/**
 * Loads pages in throwaway browsers (one per scrape, killed afterwards) and reads them in the requested formats plus
 * the state an interact session reopens: final URL, cookies and localStorage.
 */
export class Scraper {
  private readonly browsers = new Set<LaunchedBrowser>();
  private readonly inflight = new Set<Promise<unknown>>();
  private running = 0;
  private closing = false;

  constructor(private readonly options: ScraperOptions) {}

  /** Scrapes a checked request; `timeoutMs` covers loading, `waitFor` and reading, not the browser's start. */
  scrape(request: ScrapeRequest): Promise<{ data: ScrapeData; state: PageState }> {
    if (this.closing) throw shuttingDown();
    if (this.running >= this.options.maxConcurrent) {
      throw new EmulatorHttpError(
        429,
        "rate_limited",
        `At most ${this.options.maxConcurrent} scrapes may run at once`,
        { maxConcurrent: this.options.maxConcurrent },
        1,
      );
    }
    this.running++;
    const run = this.run(request).finally(() => {
      this.running--;
      this.inflight.delete(run);
    });
    this.inflight.add(run);
    return run;
  }

  /** Refuses new scrapes, kills the browsers of running ones and waits until they answered. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.browsers].map((browser) => browser.kill()));
    await Promise.allSettled([...this.inflight]);
  }

  private async launch(request: ScrapeRequest): Promise<LaunchedBrowser> {
    try {
      return await this.options.openBrowser(request.profile?.name);
    } catch (error) {
      throw browserFailed(`Could not start a browser: ${firstLine(error)}`);
    }
  }

  private async run(request: ScrapeRequest): Promise<{ data: ScrapeData; state: PageState }> {
    const browser = await this.launch(request);
    this.browsers.add(browser);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.closing) throw shuttingDown();
      const deadline = Date.now() + request.timeoutMs;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(scrapeTimedOut(request.timeoutMs)), request.timeoutMs);
      });
      const reading = this.read(browser, request, deadline);
      reading.catch(() => undefined);
      return await Promise.race([reading, timedOut]);
    } catch (error) {
      // A scrape cut short by close() fails for that reason, whatever its browser said while it died.
      if (this.closing) throw shuttingDown();
      throw error;
    } finally {
      clearTimeout(timer);
      this.browsers.delete(browser);
      await browser.kill();
    }
  }

  private async read(browser: LaunchedBrowser, request: ScrapeRequest, deadline: number) {
    const playwright = await connectPlaywright(browser.wsEndpoint);
    try {
      const context = defaultContext(playwright);
      const page = context.pages()[0] ?? (await context.newPage());
      const remaining = () => Math.max(1, deadline - Date.now());
      let response: Awaited<ReturnType<Page["goto"]>>;
      try {
        response = await page.goto(request.url, { waitUntil: "load", timeout: remaining() });
      } catch (error) {
        if (isTimeout(error)) throw scrapeTimedOut(request.timeoutMs);
        // Playwright's "page.goto: net::ERR_… at <url>" without the parts the message already has.
        const reason = firstLine(error)
          .replace(/^page\.goto: /, "")
          .replace(/ at \S+$/, "");
        throw new EmulatorHttpError(502, "upstream_unreachable", `Could not load ${request.url}: ${reason}`);
      }
      if (request.waitForMs > 0) await new Promise((resolve) => setTimeout(resolve, request.waitForMs));
      const formats = new Set(request.formats);
      const extracted = await page.evaluate<Extracted>(EXTRACT_PAGE);
      const state: PageState = {
        url: page.url(),
        cookies: await context.cookies(),
        localStorage: await page.evaluate<PageState["localStorage"]>(READ_LOCAL_STORAGE),
        timeoutMs: request.timeoutMs,
      };
      const fullPage = formats.has("screenshot@fullPage");
      const png =
        formats.has("screenshot") || fullPage ? await page.screenshot({ fullPage, timeout: remaining() }) : undefined;
      const data: ScrapeData = {
        ...(formats.has("markdown") ? { markdown: htmlToMarkdown(extracted.html) } : {}),
        ...(formats.has("html") ? { html: extracted.html } : {}),
        ...(formats.has("rawHtml") ? { rawHtml: await page.content() } : {}),
        ...(formats.has("links") ? { links: extracted.links } : {}),
        ...(png ? { screenshot: `data:image/png;base64,${png.toString("base64")}` } : {}),
        metadata: {
          // Firecrawl's metadata: the title only when the page has one; the status of the main document.
          ...(extracted.title ? { title: extracted.title } : {}),
          sourceURL: request.url,
          url: state.url,
          statusCode: response?.status() ?? 200,
          scrapeId: randomUUID(),
        },
      };
      return { data, state };
    } finally {
      await disconnectPlaywright(playwright);
    }
  }
}
