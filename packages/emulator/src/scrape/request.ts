import {
  assertValid,
  type ConstraintSchema,
  type CreateSessionRequest,
  InteractValidationError,
  operations,
} from "firecrawl-interact/core";
import { EmulatorHttpError } from "../errors.js";
import { parseActions, type ScrapeAction, totalWaitMs } from "./actions.js";
import { fail, parseFormats, type ScrapeFormats, shown } from "./formats.js";
import { IGNORED_OPTIONS, unhonouredWarning } from "./ignored-options.js";
import { parseScrapeUrl } from "./url.js";

export { SCRAPE_FORMATS, type ScrapeFormat } from "./formats.js";

/** Firecrawl's default `timeout` of a scrape, in milliseconds (the waits of `waitFor` and actions come on top). */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 60_000;

/** Firecrawl's message when `waitFor` is over half the `timeout`, which its tests compare (in `error` and `details`). */
export const WAIT_FOR_MESSAGE = "waitFor must not exceed half of timeout";

const TAGS = { type: "array", items: { type: "string" } } as const satisfies ConstraintSchema;

// The options the emulator acts on; every other Firecrawl key is in IGNORED_OPTIONS.
const BODY = {
  type: "object",
  required: ["url"],
  properties: {
    url: { type: "string", minLength: 1 },
    formats: { type: "array" },
    waitFor: { type: "integer", minimum: 0, maximum: 60_000 },
    timeout: { type: "integer", minimum: 1_000, maximum: 300_000 },
    onlyMainContent: { type: "boolean" },
    includeTags: TAGS,
    excludeTags: TAGS,
    headers: { type: "object" },
    mobile: { type: "boolean" },
    actions: { type: "array" },
    removeBase64Images: { type: "boolean" },
    skipTlsVerification: { type: "boolean" },
    zeroDataRetention: { type: "boolean" },
    origin: { type: "string" },
    // The scrape's profile is what its interact session opens with: the same rules as on create.
    profile: operations.createBrowserSession.body.properties.profile,
    ...Object.fromEntries(Object.entries(IGNORED_OPTIONS).map(([key, option]) => [key, option.schema])),
  },
} as const satisfies ConstraintSchema;

const ACCEPTED_FIELDS = Object.keys(BODY.properties);

/** What of the page goes into html and markdown (Firecrawl's defaults: the main content, no base64 images). */
export interface ContentFilter {
  onlyMainContent: boolean;
  includeTags: string[];
  excludeTags: string[];
  removeBase64Images: boolean;
}

/** A checked `POST /v2/scrape` body, with Firecrawl's defaults applied. */
export interface ScrapeRequest {
  /** The URL as Chromium loads it. */
  url: string;
  /** The URL as sent (`http://` added when it had no scheme), which the answer reports. */
  sourceURL: string;
  formats: ScrapeFormats;
  content: ContentFilter;
  waitForMs: number;
  timeoutMs: number;
  /** The actions, in order (empty when none were sent). */
  actions: ScrapeAction[];
  /** Whether `actions` was sent at all (the answer then carries `actions`, even for an empty list). */
  hasActions: boolean;
  headers: Record<string, string> | undefined;
  mobile: boolean;
  skipTlsVerification: boolean;
  profile: CreateSessionRequest["profile"];
  /** No replay context is kept: interact on this scrape is a 409, its status a 404. */
  zeroDataRetention: boolean;
  origin: string | undefined;
  /** Why options of the body were not honoured, for the answer's `warning`. */
  warning: string | undefined;
}

function parseHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  for (const [name, header] of Object.entries(value as Record<string, unknown>)) {
    if (typeof header !== "string") {
      fail(`headers.${name}`, "type", `headers.${name} must be a string (got ${shown(header)})`, "string");
    }
  }
  return value as Record<string, string>;
}

function assertKnownKeys(record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) {
    // Firecrawl's scrape refuses keys it does not know, too.
    if (!ACCEPTED_FIELDS.includes(key)) {
      throw new InteractValidationError(key, "enum", `Unrecognized key in body: ${key}`, ACCEPTED_FIELDS);
    }
  }
}

// Firecrawl checks waitFor against the timeout only when the request gives one; its fixed message is what its own
// tests compare, in `error` and in `details`.
function assertWaitFor(waitForMs: number, timeout: number | undefined): void {
  if (timeout === undefined || waitForMs <= timeout / 2) return;
  throw new EmulatorHttpError(400, "BAD_REQUEST", WAIT_FOR_MESSAGE, {
    field: "waitFor",
    rule: "maximum",
    limit: timeout / 2,
    message: WAIT_FOR_MESSAGE,
  });
}

/**
 * Checks a `POST /v2/scrape` body and applies Firecrawl's defaults; throws an {@link InteractValidationError} for the
 * first broken rule (the HTTP layer answers it as a 400), before anything is launched. Every key of Firecrawl's
 * scrape body is accepted; those the emulator does not act on are named in {@link ScrapeRequest.warning}.
 */
export function parseScrapeRequest(body: unknown): ScrapeRequest {
  assertValid(BODY, body, "body");
  const record = body as Record<string, unknown>;
  assertKnownKeys(record);
  const waitForMs = (record.waitFor as number | undefined) ?? 0;
  const timeout = record.timeout as number | undefined;
  const url = parseScrapeUrl(record.url as string);
  const actions = parseActions(record.actions, waitForMs);
  assertWaitFor(waitForMs, timeout);
  const headers = parseHeaders(record.headers);
  return {
    url: url.href,
    sourceURL: url.sourceURL,
    formats: parseFormats(record.formats as unknown[] | undefined),
    content: {
      onlyMainContent: record.onlyMainContent !== false,
      includeTags: (record.includeTags as string[] | undefined) ?? [],
      excludeTags: (record.excludeTags as string[] | undefined) ?? [],
      removeBase64Images: record.removeBase64Images !== false,
    },
    waitForMs,
    timeoutMs: timeout ?? DEFAULT_SCRAPE_TIMEOUT_MS + totalWaitMs(actions, waitForMs),
    actions,
    hasActions: record.actions !== undefined,
    headers,
    mobile: record.mobile === true,
    // Firecrawl skips TLS checks by default, but not for requests with headers or actions.
    skipTlsVerification:
      (record.skipTlsVerification as boolean | undefined) ??
      !(Object.keys(headers ?? {}).length > 0 || actions.length > 0),
    profile: record.profile as ScrapeRequest["profile"],
    zeroDataRetention: record.zeroDataRetention === true,
    origin: record.origin as string | undefined,
    warning: unhonouredWarning(record),
  };
}
