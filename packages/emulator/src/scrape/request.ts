import {
  assertValid,
  type ConstraintSchema,
  type CreateSessionRequest,
  InteractValidationError,
  operations,
} from "firecrawl-interact/core";

/** The formats the emulator's scrape produces. */
export const SCRAPE_FORMATS = ["markdown", "html", "rawHtml", "links", "screenshot", "screenshot@fullPage"] as const;
/** One format the emulator's scrape produces. */
export type ScrapeFormat = (typeof SCRAPE_FORMATS)[number];

// Formats Firecrawl has that need its AI or its storage; the emulator answers 400 naming them as unsupported.
const FIRECRAWL_ONLY_FORMATS = new Set([
  "summary",
  "json",
  "extract",
  "changeTracking",
  "images",
  "branding",
  "product",
  "menu",
  "audio",
  "video",
  "answer",
  "highlights",
]);

/**
 * Firecrawl scrape fields the emulator accepts and ignores: caching, billing, anti-bot and telemetry switches that
 * mean nothing for a local browser (`onlyMainContent` too: the emulator always converts the whole page).
 */
const IGNORED_FIELDS: Readonly<Record<string, ConstraintSchema>> = {
  onlyMainContent: { type: "boolean" },
  maxAge: { type: "integer", minimum: 0 },
  storeInCache: { type: "boolean" },
  blockAds: { type: "boolean" },
  proxy: { type: "string" },
  skipTlsVerification: { type: "boolean" },
  removeBase64Images: { type: "boolean" },
  fastMode: { type: "boolean" },
  parsers: { type: "array" },
  zeroDataRetention: { type: "boolean" },
  origin: { type: "string" },
  integration: { type: "string" },
};

// Firecrawl scrape fields that would change what the page returns; the emulator does not fake them: 400.
const UNSUPPORTED_FIELDS = [
  "actions",
  "headers",
  "includeTags",
  "excludeTags",
  "mobile",
  "location",
  "minAge",
  "onlyCleanContent",
  "redactPII",
  "lockdown",
  "threatProtection",
  "auditMetadata",
];

/** Firecrawl's default `timeout` of a scrape, in milliseconds. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 60_000;

const BODY = {
  type: "object",
  required: ["url"],
  properties: {
    url: { type: "string", minLength: 1 },
    formats: { type: "array" },
    waitFor: { type: "integer", minimum: 0, maximum: 60_000 },
    timeout: { type: "integer", minimum: 1_000, maximum: 300_000 },
    // The scrape's profile is what its interact session opens with: the same rules as on create.
    profile: operations.createBrowserSession.body.properties.profile,
    ...IGNORED_FIELDS,
  },
} as const satisfies ConstraintSchema;

const ACCEPTED_FIELDS = Object.keys(BODY.properties);

/** A checked `POST /v2/scrape` body, with Firecrawl's defaults applied. */
export interface ScrapeRequest {
  /** The URL as it will be loaded (`http://` added when the request gave no scheme, as Firecrawl does). */
  url: string;
  formats: ScrapeFormat[];
  waitForMs: number;
  timeoutMs: number;
  profile: CreateSessionRequest["profile"];
}

const fail = (
  field: string,
  rule: InteractValidationError["rule"],
  message: string,
  limit?: string | number,
): never => {
  throw new InteractValidationError(field, rule, message, limit);
};

/** Checks a scrape URL the way Firecrawl does: a missing scheme means `http://`; only http and https are loaded. */
export function parseScrapeUrl(raw: string): string {
  // "localhost:3000" is a host and port, "mailto:x" a scheme: a scheme is letters not followed by a port number.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)/.exec(raw)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) {
    fail(
      "url",
      "pattern",
      `url uses an unsupported protocol (${scheme.toLowerCase()}:); only http and https`,
      "^https?://",
    );
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(scheme === undefined ? `http://${raw}` : raw);
  } catch {
    // Reported below.
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hostname === "") {
    fail("url", "format", `url must be a valid http or https URL (got ${JSON.stringify(raw)})`, "uri");
  }
  return (parsed as URL).href;
}

/** A value as an error message shows it: primitives as JSON, containers by kind (never walked: they can be deep). */
const shown = (value: unknown): string => {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  return JSON.stringify(value) ?? String(value);
};

function parseFormats(value: unknown[] | undefined): ScrapeFormat[] {
  if (value === undefined) return ["markdown"];
  const formats = new Set<ScrapeFormat>();
  value.forEach((entry, index) => {
    const field = `formats[${index}]`;
    // Firecrawl takes a name or an object `{ type, ...options }`.
    const isObject = typeof entry === "object" && entry !== null && !Array.isArray(entry);
    const record = isObject ? (entry as Record<string, unknown>) : undefined;
    const name = record ? record.type : entry;
    const where = record ? `${field}.type` : field;
    if (typeof name !== "string") fail(where, "type", `${where} must be a string (got ${shown(name)})`, "string");
    const known = name as string;
    if (!(SCRAPE_FORMATS as readonly string[]).includes(known)) {
      const why = FIRECRAWL_ONLY_FORMATS.has(known) ? "is not supported by the emulator" : "is not a scrape format";
      throw new InteractValidationError(
        where,
        "enum",
        `${where} ${JSON.stringify(known)} ${why}; the emulator's formats are ${SCRAPE_FORMATS.join(", ")}`,
        SCRAPE_FORMATS,
      );
    }
    if (record && known === "screenshot") {
      for (const key of Object.keys(record)) {
        if (key !== "type" && key !== "fullPage") {
          fail(`${field}.${key}`, "enum", `${field}.${key} is not supported by the emulator (only fullPage is)`);
        }
      }
      if (record.fullPage !== undefined) assertValid({ type: "boolean" }, record.fullPage, `${field}.fullPage`);
      formats.add(record.fullPage === true ? "screenshot@fullPage" : "screenshot");
    } else {
      formats.add(known as ScrapeFormat);
    }
  });
  if (formats.has("screenshot") && formats.has("screenshot@fullPage")) {
    fail("formats", "enum", "formats may have screenshot or screenshot@fullPage, not both");
  }
  return [...formats];
}

/**
 * Checks a `POST /v2/scrape` body and applies Firecrawl's defaults; throws an {@link InteractValidationError} for the
 * first broken rule (the HTTP layer answers it as a 400), before anything is launched.
 */
export function parseScrapeRequest(body: unknown): ScrapeRequest {
  assertValid(BODY, body, "body");
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (UNSUPPORTED_FIELDS.includes(key)) {
      fail(key, "enum", `${key} is not supported by the emulator's scrape`);
    }
    if (!ACCEPTED_FIELDS.includes(key)) {
      // Firecrawl's scrape refuses keys it does not know, too.
      throw new InteractValidationError(key, "enum", `Unrecognized key in body: ${key}`, ACCEPTED_FIELDS);
    }
  }
  const timeoutMs = (record.timeout as number | undefined) ?? DEFAULT_SCRAPE_TIMEOUT_MS;
  const waitForMs = (record.waitFor as number | undefined) ?? 0;
  if (waitForMs > timeoutMs / 2) {
    fail("waitFor", "maximum", `waitFor must not exceed half of timeout (${timeoutMs / 2} ms)`, timeoutMs / 2);
  }
  return {
    url: parseScrapeUrl(record.url as string),
    formats: parseFormats(record.formats as unknown[] | undefined),
    waitForMs,
    timeoutMs,
    profile: record.profile as ScrapeRequest["profile"],
  };
}
