import type { ConstraintSchema } from "firecrawl-interact/core";

/**
 * A Firecrawl scrape option the emulator accepts but does not act on: its type, and when a value asks for something
 * the emulator cannot do, why (that goes in the answer's `warning`). Values that ask for nothing (`blockAds: false`,
 * `proxy: "basic"`) pass without a warning.
 */
interface IgnoredOption {
  readonly schema: ConstraintSchema;
  readonly unhonoured: (value: unknown) => string | undefined;
}

const always = (why: string) => () => why;
const whenTrue = (why: string) => (value: unknown) => (value === true ? why : undefined);
const whenTruthy = (why: string) => (value: unknown) => (value ? why : undefined);

const NO_CACHE = "the emulator keeps no cache, so it loaded the page";
const ENTERPRISE = "an enterprise policy of Firecrawl's";
const INTERNAL = "an internal switch of Firecrawl's engines";

/** Every key of Firecrawl's scrape body the emulator accepts without acting on it (README: "What still differs"). */
export const IGNORED_OPTIONS: Readonly<Record<string, IgnoredOption>> = {
  onlyCleanContent: { schema: { type: "boolean" }, unhonoured: whenTrue("an LLM pass the emulator does not have") },
  // A fresh scrape meets any maxAge; there is no index to store into or to skip.
  maxAge: { schema: { type: "integer", minimum: 0 }, unhonoured: () => undefined },
  storeInCache: { schema: { type: "boolean" }, unhonoured: () => undefined },
  fastMode: { schema: { type: "boolean" }, unhonoured: () => undefined },
  integration: { schema: { type: "string" }, unhonoured: () => undefined },
  minAge: { schema: { type: "integer", minimum: 0 }, unhonoured: always(NO_CACHE) },
  lockdown: { schema: { type: "boolean" }, unhonoured: whenTrue(NO_CACHE) },
  location: {
    schema: {
      type: "object",
      properties: { country: { type: "string" }, languages: { type: "array", items: { type: "string" } } },
    },
    unhonoured: always("the emulator has no proxies and emulates no country or language"),
  },
  proxy: {
    schema: { type: "string", enum: ["basic", "stealth", "enhanced", "auto"] },
    unhonoured: (value) =>
      value === "stealth" || value === "enhanced" ? "the emulator loads pages directly, with no proxy" : undefined,
  },
  blockAds: { schema: { type: "boolean" }, unhonoured: whenTrue("the emulator blocks no ads or cookie banners") },
  parsers: { schema: { type: "array" }, unhonoured: () => undefined },
  redactPII: { schema: {}, unhonoured: whenTruthy("PII redaction needs Firecrawl's models") },
  safeMode: { schema: { type: "boolean" }, unhonoured: whenTrue(ENTERPRISE) },
  threatProtection: { schema: { type: "object" }, unhonoured: always(ENTERPRISE) },
  auditMetadata: { schema: { type: "object" }, unhonoured: always(ENTERPRISE) },
  useMock: { schema: { type: "string" }, unhonoured: always("Firecrawl's recorded mocks are not in the emulator") },
  __searchPreviewToken: { schema: { type: "string" }, unhonoured: always(INTERNAL) },
  __experimental_omce: { schema: { type: "boolean" }, unhonoured: whenTrue(INTERNAL) },
  __experimental_omceDomain: { schema: { type: "string" }, unhonoured: always(INTERNAL) },
  __experimental_engpicker: { schema: { type: "boolean" }, unhonoured: whenTrue(INTERNAL) },
  __forceFirePDF: { schema: { type: "boolean" }, unhonoured: whenTrue(INTERNAL) },
  __agentInterop: { schema: { type: "object" }, unhonoured: always(INTERNAL) },
};

/** The answer's `warning` for the options of a body the emulator did not honour, or undefined when there are none. */
export function unhonouredWarning(body: Readonly<Record<string, unknown>>): string | undefined {
  const reasons = Object.entries(IGNORED_OPTIONS).flatMap(([key, option]) => {
    if (body[key] === undefined) return [];
    const why = option.unhonoured(body[key]);
    return why === undefined ? [] : [`${key} (${why})`];
  });
  return reasons.length === 0 ? undefined : `The emulator did not honour: ${reasons.join("; ")}.`;
}
