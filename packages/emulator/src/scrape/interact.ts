import { connectPlaywright, defaultContext, disconnectPlaywright, pageForTarget } from "../browser/playwright.js";
import { browserFailed, EmulatorHttpError, firstLine, sessionDestroyed } from "../errors.js";
import type { SessionRegistry } from "../sessions/registry.js";
import type { Session } from "../sessions/session.js";
import type { PageState, ScrapeJob, ScrapeJobs } from "./jobs.js";

// Runs in the reopened page before its own scripts: puts the scrape's localStorage back on the scraped origin. A
// source, not a function, so no transpiler helper leaks into the page.
const restoreLocalStorage = (storage: NonNullable<PageState["localStorage"]>) => `(() => {
  const { origin, items } = ${JSON.stringify(storage)};
  if (location.origin !== origin) return;
  for (const [key, value] of items) localStorage.setItem(key, value);
})()`;

/** Brings a fresh session's browser to a scrape's state: its cookies, its localStorage, then its URL. */
async function restoreState(session: Session, state: PageState): Promise<void> {
  const browser = await connectPlaywright(session.browserWsEndpoint);
  try {
    const context = defaultContext(browser);
    if (state.cookies.length > 0) await context.addCookies(state.cookies);
    // The init script lives only as long as this connection: it runs for this one load, not later ones.
    if (state.localStorage && state.localStorage.items.length > 0) {
      await context.addInitScript(restoreLocalStorage(state.localStorage));
    }
    const page = await pageForTarget(context, session.activeTabs.active);
    await page.goto(state.url, { waitUntil: "load", timeout: state.timeoutMs });
  } finally {
    await disconnectPlaywright(browser);
  }
}

async function openJobSession(registry: SessionRegistry, jobs: ScrapeJobs, job: ScrapeJob, origin: string) {
  // Through the registry like POST /interact: live-view and CDP URLs, expiry, the spec's default ttl, the limits.
  const session = await registry.create(job.profile ? { profile: job.profile } : {}, origin);
  try {
    await restoreState(session, job.state);
  } catch (error) {
    await registry.end(session, "deleted");
    throw browserFailed(`Could not reopen ${job.state.url} in the interact session: ${firstLine(error)}`);
  }
  void session.ended.then(() => jobs.touch(job));
  return session;
}

/**
 * The interact session of a scrape job: opened at the scrape's state on the first call (concurrent first calls share
 * it), reused while it lives, and a 410 once it was destroyed (as on Firecrawl, a job gets one session).
 */
export async function jobSession(
  registry: SessionRegistry,
  jobs: ScrapeJobs,
  job: ScrapeJob,
  origin: string,
): Promise<Session> {
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
  if (!session || session.status === "destroyed") {
    throw new EmulatorHttpError(404, "not_found", "Browser session not found.");
  }
  await registry.end(session, "deleted");
}
