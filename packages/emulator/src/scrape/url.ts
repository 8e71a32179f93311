import { InteractValidationError } from "firecrawl-interact/core";

/** A checked scrape URL: what Chromium loads, and what the answer reports as `sourceURL`. */
export interface ScrapeUrl {
  /** The URL as Chromium loads it (parsed, so a space or bad escape never reaches the browser). */
  readonly href: string;
  /** The URL as the request sent it, `http://` added when it had no scheme: Firecrawl reports it unnormalized. */
  readonly sourceURL: string;
}

// A host with a dotted name whose last label looks like a top-level domain, as Firecrawl requires.
const LOOKS_LIKE_TLD = /\.(?:[a-z]{2,}|xn--[a-z0-9-]+)$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** True for hosts Firecrawl would load (a domain with a TLD, an IP), plus `localhost` for local pages. */
function isReachableHost(hostname: string): boolean {
  if (hostname.startsWith("[") || IPV4.test(hostname)) return true;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  return !hostname.startsWith(".") && LOOKS_LIKE_TLD.test(hostname);
}

const fail = (rule: InteractValidationError["rule"], message: string, limit?: string): never => {
  throw new InteractValidationError("url", rule, message, limit);
};

/**
 * Checks a scrape URL the way Firecrawl does: a missing scheme means `http://`; only http and https are loaded; the
 * host must be an IP or have a top-level domain (`localhost` is allowed too, for local pages). Throws an
 * {@link InteractValidationError} the HTTP layer answers as a 400.
 */
export function parseScrapeUrl(raw: string): ScrapeUrl {
  // "localhost:3000" is a host and port, "mailto:x" a scheme: a scheme is letters not followed by a port number.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)/.exec(raw)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) {
    fail("pattern", `url uses an unsupported protocol (${scheme.toLowerCase()}:); only http and https`, "^https?://");
  }
  const sourceURL = scheme === undefined ? `http://${raw}` : raw;
  let parsed: URL | undefined;
  try {
    parsed = new URL(sourceURL);
  } catch {
    // Reported below.
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hostname === "" || /\s/.test(raw)) {
    fail("format", `url must be a valid http or https URL (got ${JSON.stringify(raw)})`, "uri");
  }
  const url = parsed as URL;
  if (!isReachableHost(url.hostname)) {
    fail("format", "URL must have a valid top-level domain or be an IP address", "uri");
  }
  return { href: url.href, sourceURL };
}
