import type { BrowserContext, Page } from "playwright-core";
import { connectPlaywright, defaultContext, disconnectPlaywright, pageForTarget } from "../browser/playwright.js";
import { browserSessionNotFound, EmulatorHttpError, firstLine, sessionDestroyed } from "../errors.js";
import type { SessionRegistry } from "../sessions/registry.js";
import type { Session } from "../sessions/session.js";
import { runActions } from "./action-runner.js";
import type { PageState, ScrapeJob, ScrapeJobs, ScrapeReplay } from "./jobs.js";

/** Firecrawl's 409 for interact on a scrape that kept no data (`zeroDataRetention`). */
export const REPLAY_UNAVAILABLE = "Replay context is unavailable for zero-data-retention scrapes.";
/** Firecrawl's 409 when the scrape could not be replayed in the new session. */
export const REPLAY_FAILED =
  "Failed to initialize browser session from the original scrape context. Please rerun the scrape and try again.";

// Runs in the reopened page before its own scripts: puts the scrape's localStorage back on the scraped origin. A
// source, not a function, so no transpiler helper leaks into the page.
const restoreLocalStorage = (storage: NonNullable<PageState["localStorage"]>) => `(() => {
  const { origin, items } = ${JSON.stringify(storage)};
  if (location.origin !== origin) return;
  for (const [key, value] of items) localStorage.setItem(key, value);
})()`;

/** Loads the scrape's URL with its cookies, its localStorage put back before the page's scripts run (this load only). */
async function loadWithState(context: BrowserContext, page: Page, replay: ScrapeReplay): Promise<void> {
  const { cookies, localStorage } = replay.state;
  if (cookies.length > 0) await context.addCookies(cookies);
  const cdp = await context.newCDPSession(page);
  try {
    // The Page domain runs scripts on new documents only for sessions that enabled it.
    await cdp.send("Page.enable");
    const restore =
      localStorage && localStorage.items.length > 0
        ? await cdp.send("Page.addScriptToEvaluateOnNewDocument", { source: restoreLocalStorage(localStorage) })
        : undefined;
    await page.goto(replay.url, { waitUntil: "load", timeout: replay.timeoutMs });
    if (restore) await cdp.send("Page.removeScriptToEvaluateOnNewDocument", { identifier: restore.identifier });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Replays a scrape in a fresh session's one tab, as Firecrawl does before the first interact call: its URL (with the
 * cookies and localStorage it ended with), its waitFor, then its actions (output-only ones skipped), so what the
 * actions did (a script's `window.marker`) is there for the interaction. Tabs the actions opened are closed: the
 * session keeps the scrape's tab, in front.
 */
async function replayScrape(session: Session, replay: ScrapeReplay): Promise<void> {
  const browser = await connectPlaywright(session.browserWsEndpoint);
  try {
    const context = defaultContext(browser);
    const page = await pageForTarget(context, session.activeTabs.active);
    const deadline = Date.now() + replay.timeoutMs;
    await loadWithState(context, page, replay);
    if (replay.waitForMs > 0) await new Promise((resolve) => setTimeout(resolve, replay.waitForMs));
    await runActions(page, replay.actions, { remaining: () => Math.max(1, deadline - Date.now()), replay: true });
    for (const other of context.pages()) if (other !== page) await other.close();
    await page.bringToFront();
  } finally {
    await disconnectPlaywright(browser);
  }
}

async function openJobSession(registry: SessionRegistry, jobs: ScrapeJobs, job: ScrapeJob, origin: string) {
  const replay = job.replay as ScrapeReplay;
  // Through the registry like POST /interact: live-view and CDP URLs, expiry, the spec's default ttl, the limits.
  const session = await registry.create(job.profile ? { profile: job.profile } : {}, origin, job.team);
  try {
    await replayScrape(session, replay);
  } catch (error) {
    await registry.end(session, "deleted");
    throw new EmulatorHttpError(409, "browser_failed", REPLAY_FAILED, { reason: firstLine(error) });
  }
  void session.ended.then(() => jobs.touch(job));
  return session;
}

/**
 * The interact session of a scrape job: opened and replayed on the first call (concurrent first calls share it),
 * reused while it lives, and a 410 once it was destroyed (as on Firecrawl, a job gets one session). A scrape made
 * with `zeroDataRetention` has no replay context: 409.
 */
export async function jobSession(
  registry: SessionRegistry,
  jobs: ScrapeJobs,
  job: ScrapeJob,
  origin: string,
): Promise<Session> {
  if (!job.replay) throw new EmulatorHttpError(409, "unavailable", REPLAY_UNAVAILABLE);
  if (job.opening) return job.opening;
  const { session } = job;
  if (session) {
    // Firecrawl's wording of the scrape-bound 410.
    if (session.status === "destroyed")
      throw sessionDestroyed(session.endReason, "Browser session has been destroyed.");
    return session;
  }
  const opening = openJobSession(registry, jobs, job, origin);
  job.opening = opening;
  try {
    job.session = await opening;
    return job.session;
  } finally {
    job.opening = undefined;
  }
}

/** Stops a job's session (`DELETE /v2/scrape/{jobId}/interact`); 404 when none is open, as on Firecrawl. */
export async function stopJobSession(registry: SessionRegistry, job: ScrapeJob): Promise<void> {
  if (job.opening) await job.opening.catch(() => undefined);
  const { session } = job;
  if (!session || session.status === "destroyed") throw browserSessionNotFound();
  await registry.end(session, "deleted");
}
