import { scrapeAndExtractFromUrl } from "../../generated/constraints.js";
import { invalidRequestAnswer } from "../core/error-body.js";
import { InteractValidationError } from "../core/errors.js";
import type { ScrapeFormatName, ScrapeRequest } from "../core/types.js";
import { errorResponse, toResponse } from "./respond.js";

/** The formats a scrape may ask for by default: the page's own content, at the base price, with no model run. */
export const DEFAULT_SCRAPE_FORMATS = [
  "markdown",
  "html",
  "rawHtml",
  "links",
  "images",
  "screenshot",
] as const satisfies readonly ScrapeFormatName[];

const { formats, timeout } = scrapeAndExtractFromUrl.body.properties;

/** Every format name of the spec: the names a `formats` entry may be, and the `type` of each format object. */
export const SCRAPE_FORMAT_NAMES: readonly string[] = [
  ...new Set(formats.items.oneOf.flatMap((format) => ("enum" in format ? format.enum : format.properties.type.enum))),
];

/** What the scrape limits need: the checked values of {@link InteractProxyLimits}. */
export interface ScrapeLimits {
  readonly allowProfiles: boolean;
  readonly allowScrapeUrl: ((url: URL) => boolean | Promise<boolean>) | undefined;
  readonly allowedScrapeFormats: ReadonlySet<string>;
  readonly maxScrapeTimeout: number | undefined;
}

/** The scrape body to forward after the limits, or the answer to give instead. */
export type LimitedScrape =
  | { readonly ok: true; readonly body: ScrapeRequest }
  | { readonly ok: false; readonly response: Response };

/** The name of one `formats` entry: the entry itself, or its object's `type`. */
const formatName = (entry: NonNullable<ScrapeRequest["formats"]>[number]): string =>
  typeof entry === "string" ? entry : entry.type;

/** The URL as `new URL` reads it, or the 400 for one it can't read (the spec's pattern lets a few through). */
function parsedUrl(url: string): URL | Response {
  try {
    return new URL(url);
  } catch {
    const message = `url must be a valid http or https URL (got ${JSON.stringify(url)})`;
    return toResponse(invalidRequestAnswer(new InteractValidationError("url", "format", message, "uri")));
  }
}

/**
 * Applies the limits to an already-validated scrape body: a `profile` needs `allowProfiles`, every format must be
 * allowed (an absent `formats` is the spec's default), `allowScrapeUrl` must accept the URL, and `timeout` is clamped to
 * its cap. The URL forwarded is the one checked, as `new URL` reads it, so the check and Firecrawl see the same page.
 */
export async function limitScrape(body: ScrapeRequest, limits: ScrapeLimits): Promise<LimitedScrape> {
  const url = parsedUrl(body.url);
  if (url instanceof Response) return { ok: false, response: url };
  if (body.profile !== undefined && !limits.allowProfiles) {
    return { ok: false, response: errorResponse(403, "forbidden", "Profiles are not allowed by this proxy") };
  }
  const refused = (body.formats ?? formats.default)
    .map(formatName)
    .find((name) => !limits.allowedScrapeFormats.has(name));
  if (refused !== undefined) {
    const message = `The scrape format ${JSON.stringify(refused)} is not allowed by this proxy`;
    return { ok: false, response: errorResponse(403, "forbidden", message) };
  }
  // A copy: the check can't change the URL that is sent.
  if (limits.allowScrapeUrl && (await limits.allowScrapeUrl(new URL(url.href))) !== true) {
    return { ok: false, response: errorResponse(403, "forbidden", "Scraping this URL is not allowed by this proxy") };
  }
  const limited: ScrapeRequest = { ...body, url: url.href };
  if (limits.maxScrapeTimeout !== undefined) {
    limited.timeout = Math.min(body.timeout ?? timeout.default, limits.maxScrapeTimeout);
  }
  return { ok: true, body: limited };
}
