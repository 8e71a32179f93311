import type { Browser, BrowserContext, Page } from "playwright-core";

// playwright-core is loaded on first use: an emulator that never scrapes or runs an agent does not pay for it.
let loading: Promise<typeof import("playwright-core")> | undefined;

/** Connects Playwright (in the emulator's own process) to a browser's CDP endpoint (its `wsEndpoint`). */
export async function connectPlaywright(wsEndpoint: string): Promise<Browser> {
  loading ??= import("playwright-core");
  const { chromium } = await loading;
  return chromium.connectOverCDP(wsEndpoint);
}

/** Drops a Playwright connection; the browser, its default context and its pages stay as they are. */
export async function disconnectPlaywright(browser: Browser): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // On a CDP connection close() only disconnects; the bound keeps a wedged socket from stalling the caller.
  await Promise.race([
    browser.close().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 2_000);
    }),
  ]);
  clearTimeout(timer);
}

/** The browser's default context (where its pages live), which a CDP connection always has. */
export function defaultContext(browser: Browser): BrowserContext {
  const context = browser.contexts()[0];
  if (!context) throw new Error("The browser has no default context");
  return context;
}

/** The page of a target id (the session's active tab), else the first page, else a new one. */
export async function pageForTarget(context: BrowserContext, targetId: string | undefined): Promise<Page> {
  const pages = context.pages();
  if (pages.length > 1 && targetId) {
    for (const candidate of pages) {
      const cdp = await context.newCDPSession(candidate);
      try {
        const { targetInfo } = await cdp.send("Target.getTargetInfo");
        if (targetInfo.targetId === targetId) return candidate;
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    }
  }
  return pages[0] ?? (await context.newPage());
}
