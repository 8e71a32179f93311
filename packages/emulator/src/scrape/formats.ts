import { assertValid, type ConstraintSchema, InteractValidationError } from "firecrawl-interact/core";

/** The formats the emulator's scrape produces (Firecrawl's, less those that need its AI or its storage). */
export const SCRAPE_FORMATS = [
  "markdown",
  "html",
  "rawHtml",
  "rawBase64",
  "links",
  "images",
  "screenshot",
  "attributes",
] as const;
/** One format the emulator's scrape produces. */
export type ScrapeFormat = (typeof SCRAPE_FORMATS)[number];

// Formats Firecrawl has that need its AI, its index or its media pipeline; the emulator answers 400 naming them.
const FIRECRAWL_ONLY_FORMATS = new Set([
  "summary",
  "json",
  "deterministicJson",
  "extract",
  "changeTracking",
  "branding",
  "product",
  "menu",
  "audio",
  "video",
  "question",
  "highlights",
  "query",
]);

/** A page size in CSS pixels, as the screenshot options give it. */
export interface Viewport {
  width: number;
  height: number;
}

/** How a screenshot is taken: the whole page or the viewport, PNG or JPEG at a quality, at a viewport size. */
export interface ScreenshotOptions {
  fullPage: boolean;
  /** JPEG quality 1–100; without it the screenshot is a PNG. */
  quality?: number | undefined;
  viewport?: Viewport | undefined;
}

/** One selector of the `attributes` format and the attribute read from each element it matches. */
export interface AttributeSelector {
  selector: string;
  attribute: string;
}

/** The checked `formats` of a scrape: which outputs to produce, with their options. */
export interface ScrapeFormats {
  readonly names: ReadonlySet<ScrapeFormat>;
  readonly screenshot?: ScreenshotOptions | undefined;
  readonly attributes?: readonly AttributeSelector[] | undefined;
}

// Firecrawl's bounds of a screenshot (its action and its format): quality 1–100, an 8K viewport at most.
const SCREENSHOT_OPTIONS = {
  type: "object",
  properties: {
    fullPage: { type: "boolean" },
    quality: { type: "number", minimum: 1, maximum: 100 },
    viewport: {
      type: "object",
      required: ["width", "height"],
      properties: {
        width: { type: "integer", minimum: 1, maximum: 7680 },
        height: { type: "integer", minimum: 1, maximum: 4320 },
      },
    },
  },
} as const satisfies ConstraintSchema;

const ATTRIBUTE_SELECTORS = {
  type: "array",
  items: {
    type: "object",
    required: ["selector", "attribute"],
    properties: { selector: { type: "string" }, attribute: { type: "string" } },
  },
} as const satisfies ConstraintSchema;

/** Throws the 400 of a broken rule of the scrape body. */
export const fail = (
  field: string,
  rule: InteractValidationError["rule"],
  message: string,
  limit?: InteractValidationError["limit"],
): never => {
  throw new InteractValidationError(field, rule, message, limit);
};

/** A value as an error message shows it: primitives as JSON, containers by kind (never walked: they can be deep). */
export const shown = (value: unknown): string => {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  return JSON.stringify(value) ?? String(value);
};

/** Checks a screenshot's options (of the format or of an action) with Firecrawl's bounds. */
export function parseScreenshotOptions(record: Record<string, unknown>, field: string): ScreenshotOptions {
  assertValid(SCREENSHOT_OPTIONS, record, field);
  const viewport = record.viewport as Viewport | undefined;
  return {
    fullPage: record.fullPage === true,
    quality: record.quality as number | undefined,
    viewport: viewport && { width: viewport.width, height: viewport.height },
  };
}

/** The name of one `formats` entry (a string, or an object's `type`), checked against the emulator's formats. */
function formatName(entry: unknown, field: string): ScrapeFormat {
  const record = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? entry : undefined;
  const name = record ? (record as Record<string, unknown>).type : entry;
  const where = record ? `${field}.type` : field;
  if (typeof name !== "string") fail(where, "type", `${where} must be a string (got ${shown(name)})`, "string");
  const known = name as string;
  // "screenshot@fullPage" is Firecrawl's v1 name; the v2 server refuses it as an unknown format, and so does this.
  if (!(SCRAPE_FORMATS as readonly string[]).includes(known)) {
    const why = FIRECRAWL_ONLY_FORMATS.has(known) ? "is not supported by the emulator" : "is not a scrape format";
    fail(
      where,
      "enum",
      `${where} ${JSON.stringify(known)} ${why}; the emulator's formats are ${SCRAPE_FORMATS.join(", ")}`,
      SCRAPE_FORMATS,
    );
  }
  return known as ScrapeFormat;
}

// The options an object entry may carry besides `type` (Firecrawl refuses other keys on these objects).
const OPTION_KEYS: Partial<Record<ScrapeFormat, readonly string[]>> = {
  screenshot: ["fullPage", "quality", "viewport"],
  attributes: ["selectors"],
};

/** Checks `formats` (names or `{ type, ...options }` objects); `markdown` alone when absent, as on Firecrawl. */
export function parseFormats(value: unknown[] | undefined): ScrapeFormats {
  if (value === undefined) return { names: new Set(["markdown"]) };
  const names = new Set<ScrapeFormat>();
  let screenshot: ScreenshotOptions | undefined;
  let attributes: AttributeSelector[] | undefined;
  value.forEach((entry, index) => {
    const field = `formats[${index}]`;
    const name = formatName(entry, field);
    const record = typeof entry === "object" ? (entry as Record<string, unknown>) : {};
    for (const key of Object.keys(record)) {
      if (key !== "type" && !(OPTION_KEYS[name] ?? []).includes(key)) {
        fail(`${field}.${key}`, "enum", `${field}.${key} is not an option of the ${name} format`);
      }
    }
    if (name === "screenshot") {
      if (screenshot) fail("formats", "enum", "You may only specify one screenshot format");
      screenshot = parseScreenshotOptions(record, field);
    }
    if (name === "attributes") {
      if (typeof entry === "string") fail(field, "type", `${field}: the attributes format needs selectors`, "object");
      assertValid(ATTRIBUTE_SELECTORS, record.selectors, `${field}.selectors`);
      attributes = [...(attributes ?? []), ...(record.selectors as AttributeSelector[])];
    }
    names.add(name);
  });
  if (names.has("rawBase64") && value.length > 1) {
    fail("formats", "enum", "The rawBase64 format cannot be combined with other formats");
  }
  return { names, screenshot, attributes };
}
