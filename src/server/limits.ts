import { createBrowserSession, scrapeAndExtractFromUrl } from "../../generated/constraints.js";
import type { CreateSessionRequest, ScrapeFormatName } from "../core/types.js";
import { assertValid } from "../core/validate.js";
import { errorResponse } from "./respond.js";
import type { ProxiedOperationId } from "./routes.js";
import { DEFAULT_SCRAPE_FORMATS, SCRAPE_FORMAT_NAMES, type ScrapeLimits } from "./scrape-limits.js";

/** What a browser may ask of the proxy; everything not allowed here is decided by the server, not the page. */
export interface InteractProxyLimits {
  /** Longest `ttl` in seconds; larger or absent values are lowered to it (clamped, not rejected). */
  maxTtl?: number;
  /** Longest `activityTtl` in seconds; larger or absent values are lowered to it (clamped, not rejected). */
  maxActivityTtl?: number;
  /** Let create bodies carry a `profile` (default false → 403), since profiles hold persistent cookies. */
  allowProfiles?: boolean;
  /** Forward `POST …/{sessionId}/execute` (default false → 403), since it runs arbitrary code in the browser. */
  allowExecute?: boolean;
  /**
   * Forward `POST`/`DELETE /scrape/{jobId}/interact` (default false → 403), since they run code or a prompt agent on
   * a scrape's page and spend credits.
   */
  allowScrapeInteract?: boolean;
  /**
   * Forward `POST /scrape` and `GET /scrape/{jobId}` (default false → 403), since a scrape spends credits and makes
   * Firecrawl load a URL the page chose.
   */
  allowScrape?: boolean;
  /**
   * Decides which URLs a scrape may load (false → 403, before any upstream call); it gets the URL as it will be sent.
   * Default: any http or https URL. A proxy in front of a local emulator should refuse private hosts here.
   */
  allowScrapeUrl?: (url: URL) => boolean | Promise<boolean>;
  /**
   * The formats a scrape may ask for, by name (default: markdown, html, rawHtml, links, images, screenshot: the page's
   * own content at the base price); any other → 403. The model-run formats (json, summary, question…) cost more.
   */
  allowedScrapeFormats?: readonly ScrapeFormatName[];
  /** Longest scrape `timeout` in milliseconds; larger or absent values are lowered to it (clamped, not rejected). */
  maxScrapeTimeout?: number;
  /**
   * Pass `cdpUrl` on to the browser (default false: removed from every answer). A CDP URL is full control of the
   * browser, cookies and all, beyond what execute allows; keep it on the server unless the page must drive CDP itself.
   */
  exposeCdpUrl?: boolean;
  /**
   * Pass `interactiveLiveViewUrl` on (default true), so a user can click and type in its own session's page; false
   * leaves only the read-only live view.
   */
  allowInteractiveLiveView?: boolean;
}

/** Limits after checking, with the booleans and the scrape formats defaulted. */
export interface ResolvedLimits extends ScrapeLimits {
  readonly maxTtl: number | undefined;
  readonly maxActivityTtl: number | undefined;
  readonly allowProfiles: boolean;
  readonly allowExecute: boolean;
  readonly allowScrapeInteract: boolean;
  readonly allowScrape: boolean;
  readonly exposeCdpUrl: boolean;
  readonly allowInteractiveLiveView: boolean;
}

const { ttl, activityTtl } = createBrowserSession.body.properties;
const scrapeTimeout = scrapeAndExtractFromUrl.body.properties.timeout;

const SWITCHES = [
  "allowProfiles",
  "allowExecute",
  "allowScrapeInteract",
  "allowScrape",
  "exposeCdpUrl",
  "allowInteractiveLiveView",
] as const;

/** The allowed formats as a set, each a format name of the spec (a misspelt name would refuse the format meant). */
function allowedFormats(names: readonly string[] = DEFAULT_SCRAPE_FORMATS): ReadonlySet<string> {
  if (!Array.isArray(names)) throw new TypeError("firecrawl-interact: limits.allowedScrapeFormats must be an array");
  for (const name of names) {
    if (!SCRAPE_FORMAT_NAMES.includes(name)) {
      throw new TypeError(
        `firecrawl-interact: limits.allowedScrapeFormats has ${JSON.stringify(name)}, not a scrape format of the ` +
          `spec (${SCRAPE_FORMAT_NAMES.join(", ")})`,
      );
    }
  }
  return new Set(names);
}

/**
 * Checks the caps against the spec's own bounds (a cap outside them is a configuration bug) and fills defaults. A
 * switch that is not a boolean is refused too: `allowExecute: "false"` (an unparsed env var) would otherwise be truthy
 * and turn the operation on.
 */
export function resolveLimits(limits: InteractProxyLimits = {}): ResolvedLimits {
  for (const name of SWITCHES) {
    const value: unknown = limits[name];
    if (value !== undefined && typeof value !== "boolean") {
      throw new TypeError(`firecrawl-interact: limits.${name} must be a boolean (got ${typeof value})`);
    }
  }
  if (limits.maxTtl !== undefined) assertValid(ttl, limits.maxTtl, "limits.maxTtl");
  if (limits.maxActivityTtl !== undefined) assertValid(activityTtl, limits.maxActivityTtl, "limits.maxActivityTtl");
  if (limits.maxScrapeTimeout !== undefined) {
    assertValid(scrapeTimeout, limits.maxScrapeTimeout, "limits.maxScrapeTimeout");
  }
  const { allowScrapeUrl } = limits;
  if (allowScrapeUrl !== undefined && typeof allowScrapeUrl !== "function") {
    throw new TypeError(`firecrawl-interact: limits.allowScrapeUrl must be a function (got ${typeof allowScrapeUrl})`);
  }
  return {
    maxTtl: limits.maxTtl,
    maxActivityTtl: limits.maxActivityTtl,
    allowProfiles: limits.allowProfiles ?? false,
    allowExecute: limits.allowExecute ?? false,
    allowScrapeInteract: limits.allowScrapeInteract ?? false,
    allowScrape: limits.allowScrape ?? false,
    allowScrapeUrl,
    allowedScrapeFormats: allowedFormats(limits.allowedScrapeFormats),
    maxScrapeTimeout: limits.maxScrapeTimeout,
    exposeCdpUrl: limits.exposeCdpUrl ?? false,
    allowInteractiveLiveView: limits.allowInteractiveLiveView ?? true,
  };
}

/** The create body to forward after the limits, or the 403 to answer instead. */
export type LimitedCreate =
  | { readonly ok: true; readonly body: CreateSessionRequest }
  | { readonly ok: false; readonly response: Response };

/**
 * Applies the limits to an already-validated create body: a `profile` needs `allowProfiles`, and `ttl`/`activityTtl`
 * are clamped to their caps — an absent value becomes min(spec default, cap) so the spec default can't exceed it.
 */
export function limitCreateSession(body: CreateSessionRequest, limits: ResolvedLimits): LimitedCreate {
  if (body.profile !== undefined && !limits.allowProfiles) {
    return { ok: false, response: errorResponse(403, "forbidden", "Profiles are not allowed by this proxy") };
  }
  const limited: CreateSessionRequest = { ...body };
  if (limits.maxTtl !== undefined) limited.ttl = Math.min(body.ttl ?? ttl.default, limits.maxTtl);
  if (limits.maxActivityTtl !== undefined) {
    limited.activityTtl = Math.min(body.activityTtl ?? activityTtl.default, limits.maxActivityTtl);
  }
  return { ok: true, body: limited };
}

/** The 403 an operation gets while the limits leave it off, or null when it may be forwarded. */
export function operationForbidden(operationId: ProxiedOperationId, limits: ResolvedLimits): Response | null {
  switch (operationId) {
    case "scrapeAndExtractFromUrl":
    case "getScrapeStatus":
      return limits.allowScrape ? null : errorResponse(403, "forbidden", "Scraping is not allowed by this proxy");
    case "executeBrowserCode":
      return limits.allowExecute
        ? null
        : errorResponse(403, "forbidden", "Executing code is not allowed by this proxy");
    case "interactWithScrapeBrowserSession":
    case "stopInteractiveScrapeBrowserSession":
      return limits.allowScrapeInteract
        ? null
        : errorResponse(403, "forbidden", "Interacting with scrapes is not allowed by this proxy");
    default:
      return null;
  }
}
