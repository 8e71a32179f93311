import type { IncomingMessage, ServerResponse } from "node:http";
import { parseScrapeRequest, type ScrapeRequest } from "../scrape/request.js";
import { type ApiContext, assertAuthorized } from "./api.js";
import { readBody, sendJson, validateOr400 } from "./json.js";

/**
 * `POST /v2/scrape`: not part of the interact spec, so routed by hand, with the same auth check and error bodies.
 * Everything is checked before a browser starts; the job is remembered for `/v2/scrape/{jobId}/interact`.
 */
export async function handleScrape(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  // Keyless only when the emulator was started so, as Firecrawl serves it; a key that is sent must be right.
  assertAuthorized(request, context.apiKey, context.keylessScrape);
  const body = (await readBody(request)) ?? {};
  let parsed: ScrapeRequest | undefined;
  validateOr400(() => {
    parsed = parseScrapeRequest(body);
  });
  const scrapeRequest = parsed as ScrapeRequest;
  const { data, state } = await context.scraper.scrape(scrapeRequest);
  context.scrapeJobs.add({ id: data.metadata.scrapeId, state, profile: scrapeRequest.profile });
  sendJson(response, 200, { success: true, data });
}
