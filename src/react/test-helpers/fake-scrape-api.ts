import { createInteractClient, type InteractClient } from "../../client/index.js";
import { FAKE_BASE_URL, type FakeCall, type FakeReply, recordCall, reply } from "./fake-interact-api.js";

/** A scrape job the fake knows (scrape ids are UUIDs: the client refuses anything else before sending). */
export const SCRAPE_ID = "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
/** A second known scrape job. */
export const OTHER_SCRAPE_ID = "9e8d7c6b-5a49-4382-b716-0f1e2d3c4b5a";
/** A well-formed scrape id the fake has never heard of (404). */
export const UNKNOWN_SCRAPE_ID = "00000000-0000-4000-8000-000000000000";

/** Overrides of the fake's default behaviour. */
export interface FakeScrapeApiOptions {
  /** Answers `POST /scrape/{jobId}/interact`; return `undefined` to run normally (after awaiting, if async). */
  onInteract?: (call: FakeCall, index: number) => FakeReply | undefined | Promise<FakeReply | undefined>;
  /** Answers `DELETE /scrape/{jobId}/interact`; return `undefined` to stop normally. */
  onStop?: (call: FakeCall, index: number) => FakeReply | undefined | Promise<FakeReply | undefined>;
  /** Only the call that opens a browser returns its live-view URLs (later ones answer without them). */
  urlsOnFirstCallOnly?: boolean;
}

/** The live-view URL the fake gives the `n`-th browser it opens for `scrapeId`. */
export const fakeLiveViewUrl = (scrapeId: string, n = 1) => `http://127.0.0.1:1/live/${scrapeId}?token=t${n}`;

/** The URLs of the `n`-th browser the fake opens for `scrapeId`. */
function browserUrls(scrapeId: string, n?: number) {
  const liveViewUrl = fakeLiveViewUrl(scrapeId, n);
  return {
    cdpUrl: `ws://127.0.0.1:1/cdp/${scrapeId}`,
    liveViewUrl,
    interactiveLiveViewUrl: `${liveViewUrl}&interactive=true`,
  };
}

/** What a call ran: a prompt answers with the agent's `output`, code with `stdout` and `result`. */
function ran(body: unknown) {
  const { code, prompt } = body as { code?: string; prompt?: string };
  return prompt !== undefined
    ? { output: `done: ${prompt}`, stdout: null, result: null }
    : { output: null, stdout: `ran ${code}\n`, result: `result of ${code}` };
}

/**
 * An in-memory scrape-interact API behind a counting fetch, as Firecrawl behaves: the first call on a scrape opens a
 * browser, later calls reuse it, `DELETE` stops it (404 when none runs). Code answers with `stdout`/`result`, a
 * prompt with `output`.
 */
export function fakeScrapeApi(options: FakeScrapeApiOptions = {}) {
  const calls: FakeCall[] = [];
  const known = new Set([SCRAPE_ID, OTHER_SCRAPE_ID]);
  const open = new Set<string>();
  const opened = new Map<string, number>();
  let interacts = 0;
  let stops = 0;

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { call, url, request } = await recordCall(input, init);
    calls.push(call);
    const match = /^\/v2\/scrape\/([^/]+)\/interact$/.exec(url.pathname);
    if (!match) return reply({ status: 404, json: { success: false, error: "Not found" } });
    const id = match[1] as string;
    if (request.method === "POST") {
      const custom = await options.onInteract?.(call, interacts++);
      if (custom) return reply(custom);
      if (!known.has(id)) return reply({ status: 404, json: { success: false, error: "Scrape job not found" } });
      const first = !open.has(id);
      if (first) {
        open.add(id);
        opened.set(id, (opened.get(id) ?? 0) + 1);
      }
      const urls = first || !options.urlsOnFirstCallOnly ? browserUrls(id, opened.get(id)) : {};
      return reply({ json: { success: true, ...urls, ...ran(call.body), stderr: "", exitCode: 0, killed: false } });
    }
    if (request.method === "DELETE") {
      const custom = await options.onStop?.(call, stops++);
      if (custom) return reply(custom);
      if (!open.delete(id))
        return reply({ status: 404, json: { success: false, error: "No browser for this scrape" } });
      return reply({ json: { success: true } });
    }
    return reply({ status: 405, json: { success: false, error: "Method not allowed" } });
  };

  const client: InteractClient = createInteractClient({ fetch, baseUrl: FAKE_BASE_URL, apiKey: "fc-test" });
  return {
    fetch,
    client,
    calls,
    /** Requests with this method (and path prefix, when given). */
    count: (method: string, pathPrefix = "/scrape") =>
      calls.filter((call) => call.method === method && call.path.startsWith(pathPrefix)).length,
    /** Requests with this method, as `METHOD path` lines. */
    requests: (method?: string) =>
      calls.filter((call) => !method || call.method === method).map((call) => `${call.method} ${call.path}`),
    /** Scrape ids whose browser the fake considers running. */
    openIds: () => [...open],
  };
}
