import type { IncomingMessage, ServerResponse } from "node:http";
import { forbidden, jobNotFound } from "../errors.js";
import { parseScrapeRequest, type ScrapeRequest } from "../scrape/request.js";
import { profileStorageName } from "../sessions/teams.js";
import { type ApiContext, assertJobId } from "./api.js";
import { readBody, sendJson, validateOr400 } from "./json.js";

/**
 * `POST /v2/scrape`: not part of the interact spec, so routed by hand, with the same auth check and error bodies.
 * Everything is checked before a browser starts; the job is remembered for `/v2/scrape/{jobId}/interact` and
 * `GET /v2/scrape/{jobId}`, owned by the team of the key (without one, the keyless caller's).
 */
export async function handleScrape(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  // Keyless only when the emulator was started so, as Firecrawl serves it; a key that is sent must be right.
  const team = context.keys.teamOf(request, context.keylessScrape);
  const body = (await readBody(request)) ?? {};
  let parsed: ScrapeRequest | undefined;
  validateOr400(() => {
    parsed = parseScrapeRequest(body);
  });
  const scrape = parsed as ScrapeRequest;
  const profile = scrape.profile && profileStorageName(team, scrape.profile.name);
  const { data, state } = await context.scraper.scrape(scrape, profile);
  const kept = !scrape.zeroDataRetention;
  context.scrapeJobs.add({
    id: data.metadata.scrapeId,
    team,
    // Zero data retention: no replay context and no stored answer, as on Firecrawl.
    replay: kept
      ? { url: scrape.url, waitForMs: scrape.waitForMs, actions: scrape.actions, timeoutMs: scrape.timeoutMs, state }
      : undefined,
    data: kept ? data : undefined,
    profile: scrape.profile,
  });
  // Firecrawl adds the id at the top level for scrapes made from its website (an origin naming it).
  const website = scrape.origin?.includes("website") ? { scrape_id: data.metadata.scrapeId } : {};
  sendJson(response, 200, { success: true, data, ...website });
}

/**
 * `GET /v2/scrape/{jobId}`: the answer of a scrape by its id, as Firecrawl keeps it (`{ success, data }`, the same
 * data). 400 for an id that is not a UUID, 404 for an unknown job or one that kept no data, 403 for another team's.
 */
export async function handleScrapeStatus(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  jobId: string,
): Promise<void> {
  const team = context.keys.teamOf(request);
  assertJobId(jobId);
  const job = context.scrapeJobs.get(jobId);
  if (!job) throw jobNotFound();
  if (job.team !== team) throw forbidden("You are not allowed to access this resource.");
  if (!job.data) throw jobNotFound();
  sendJson(response, 200, { success: true, data: job.data });
}
