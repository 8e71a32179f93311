import type { LaunchedBrowser } from "../browser/launch.js";
import type { OpenBrowser } from "../browser/open-browser.js";
import { browserFailed, EmulatorHttpError, firstLine, shuttingDown } from "../errors.js";
import { type PageState, readScrape, type ScrapeData, scrapeTimedOut } from "./read-page.js";
import type { ScrapeRequest } from "./request.js";

export type { ScrapeData } from "./read-page.js";

/** What the scraper needs to start browsers. */
export interface ScraperOptions {
  /** Gets a scrape's browser (its profile's, or a warm one). */
  openBrowser: OpenBrowser;
  /** Most scrapes running at once; more answer 429. */
  maxConcurrent: number;
}

/**
 * Loads pages in throwaway browsers (one per scrape, killed afterwards) and reads them in the requested formats plus
 * the state an interact session reopens: cookies and localStorage.
 */
export class Scraper {
  private readonly browsers = new Set<LaunchedBrowser>();
  private readonly inflight = new Set<Promise<unknown>>();
  private running = 0;
  private closing = false;

  constructor(private readonly options: ScraperOptions) {}

  /**
   * Scrapes a checked request, in a browser on the profile stored as `profile` when given; `timeoutMs` covers
   * loading, `waitFor`, actions and reading, not the browser's start.
   */
  scrape(request: ScrapeRequest, profile?: string): Promise<{ data: ScrapeData; state: PageState }> {
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
    const run = this.run(request, profile).finally(() => {
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

  private async launch(profile: string | undefined): Promise<LaunchedBrowser> {
    try {
      return await this.options.openBrowser(profile);
    } catch (error) {
      throw browserFailed(`Could not start a browser: ${firstLine(error)}`);
    }
  }

  private async run(
    request: ScrapeRequest,
    profile: string | undefined,
  ): Promise<{ data: ScrapeData; state: PageState }> {
    const browser = await this.launch(profile);
    this.browsers.add(browser);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.closing) throw shuttingDown();
      const deadline = Date.now() + request.timeoutMs;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(scrapeTimedOut(request.timeoutMs)), request.timeoutMs);
      });
      const reading = readScrape(browser.wsEndpoint, request, deadline);
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
}
