import type { Page } from "playwright-core";
import { EmulatorHttpError, firstLine } from "../errors.js";
import type { ScrapeAction } from "./actions.js";
import type { ScreenshotOptions } from "./formats.js";

/** `data.actions` of a scrape answer, in Firecrawl's shape: one entry per output action, in order. */
export interface ActionResults {
  /** `data:` URLs of the screenshot actions (Firecrawl answers links to stored images). */
  screenshots: string[];
  scrapes: { url: string; html: string }[];
  javascriptReturns: { type: string; value?: unknown }[];
  /** `data:application/pdf;base64,…` URLs of the pdf actions. */
  pdfs: string[];
}

/** The actions that only produce output; a replay skips them, as Firecrawl's does. */
const OUTPUT_ONLY = new Set<ScrapeAction["type"]>(["screenshot", "scrape", "pdf"]);

const isTimeout = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

/** Takes a screenshot with a scrape's options: PNG, or JPEG at `quality`; the viewport is set beforehand. */
export async function takeScreenshot(page: Page, options: ScreenshotOptions, timeout: number): Promise<string> {
  if (options.viewport) await page.setViewportSize(options.viewport);
  const jpeg = options.quality !== undefined;
  const image = await page.screenshot({
    fullPage: options.fullPage,
    timeout,
    ...(jpeg ? { type: "jpeg" as const, quality: Math.round(options.quality as number) } : { type: "png" as const }),
  });
  return `data:image/${jpeg ? "jpeg" : "png"};base64,${image.toString("base64")}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOne(page: Page, action: ScrapeAction, results: ActionResults, remaining: () => number) {
  switch (action.type) {
    case "wait":
      if (action.selector === undefined) await delay(action.milliseconds);
      else await page.waitForSelector(action.selector, { timeout: remaining() });
      return;
    case "click":
      if (!action.all) return page.click(action.selector, { timeout: remaining() });
      for (const element of await page.locator(action.selector).all()) await element.click({ timeout: remaining() });
      return;
    case "write":
      return page.keyboard.type(action.text);
    case "press":
      return page.keyboard.press(action.key);
    case "scroll":
      // By one viewport height, of the element when a selector is given, else of the page.
      await page.evaluate(
        `((selector, up) => {
          const target = selector === null ? window : document.querySelector(selector);
          if (!target) throw new Error("Selector not found: " + selector);
          target.scrollBy(0, up ? -window.innerHeight : window.innerHeight);
        })(${JSON.stringify(action.selector ?? null)}, ${action.direction === "up"})`,
      );
      return;
    case "executeJavascript": {
      const value = await page.evaluate<unknown>(action.script);
      results.javascriptReturns.push(value === undefined ? { type: "undefined" } : { type: typeof value, value });
      return;
    }
    case "screenshot":
      results.screenshots.push(await takeScreenshot(page, action, remaining()));
      return;
    case "scrape":
      results.scrapes.push({ url: page.url(), html: await page.content() });
      return;
    case "pdf": {
      const pdf = await page.pdf({ landscape: action.landscape, scale: action.scale, format: action.format });
      results.pdfs.push(`data:application/pdf;base64,${pdf.toString("base64")}`);
      return;
    }
  }
}

/** Why an action failed, as the scrape answers it: 500 naming the action, a timeout as the scrape's own. */
function actionFailed(index: number, action: ScrapeAction, error: unknown): EmulatorHttpError {
  return new EmulatorHttpError(
    500,
    "browser_failed",
    `Action ${index + 1} (${action.type}) failed: ${firstLine(error).replace(/^\w+\.\w+: /, "")}`,
    { action: index, type: action.type },
  );
}

/**
 * Runs a scrape's actions in order on its page and collects their outputs. `replay` (the first interact call on a
 * scrape) skips the output-only actions. A timeout is rethrown as is (the scrape answers its 408); any other failure
 * is a 500 naming the action.
 */
export async function runActions(
  page: Page,
  actions: readonly ScrapeAction[],
  options: { remaining: () => number; replay?: boolean },
): Promise<ActionResults> {
  const results: ActionResults = { screenshots: [], scrapes: [], javascriptReturns: [], pdfs: [] };
  for (const [index, action] of actions.entries()) {
    if (options.replay && OUTPUT_ONLY.has(action.type)) continue;
    try {
      await runOne(page, action, results, options.remaining);
    } catch (error) {
      if (isTimeout(error)) throw error;
      throw actionFailed(index, action, error);
    }
  }
  return results;
}
