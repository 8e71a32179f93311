import { describe } from "vitest";
import type { ConformanceBackend } from "./backend.js";
import { errorBodyCases, validationCases } from "./errors.js";
import { expiryCases, lifecycleCases } from "./lifecycle.js";
import { scrapeCases } from "./scrape.js";

export { type BackendName, type ConformanceBackend, promptOutput, SUITE_CODE } from "./backend.js";

/**
 * What the fake and the emulator do differently, and why. The shared cases hold only what both do (a prompt, for one,
 * is answered by the fake's onPrompt and the emulator's agent alike); each difference is tested on its own backend
 * (src/testing/fake-firecrawl.test.ts for the fake), and the README's "Testing your app" lists them.
 */
export const DIFFERENCES = [
  {
    behaviour: "auth",
    fake: "accepts any caller unless created with apiKey",
    emulator: "needs a Bearer key always",
    why: "a component test's client talks to the app's proxy and holds no key",
  },
  {
    behaviour: "prompts",
    fake: 'answered by onPrompt (default output "")',
    emulator: "400 agent_not_configured unless started with an agent",
    why: "the emulator never fakes an AI answer; the fake is a test double by design",
  },
  {
    behaviour: "execute",
    fake: "answered by onExecute (default: exit 0, empty output); no run caps",
    emulator: "runs the code on Chromium; 429 rate_limited past 2 runs per session or 8 in all",
    why: "the fake has no browser: what code does is the test's to say",
  },
  {
    behaviour: "scrape",
    fake: "answers registered pages (502 upstream_unreachable for any other URL); formats it has no page field for are left out",
    emulator: "loads any http(s) URL in Chromium, markdown by turndown, and runs the spec's actions",
    why: "the fake has no browser: a page's content is the test's to say",
  },
  {
    behaviour: "time",
    fake: "an injectable clock; expiry is applied on the next request",
    emulator: "real timers end sessions on time",
    why: "so vi.useFakeTimers() and a test's own clock can move ttl and activityTtl",
  },
  {
    behaviour: "faults",
    fake: "also on scrapeAndExtractFromUrl and getScrapeStatus",
    emulator: "only on the interact operations",
    why: "the emulator routes the scrape outside its table of interact operations",
  },
] as const;

/** Defines the conformance suite for one backend: every behaviour the fake promises, held on it. */
export function defineConformanceSuite(backend: ConformanceBackend): void {
  describe(`conformance: ${backend.name}`, () => {
    lifecycleCases(backend);
    expiryCases(backend);
    validationCases(backend);
    errorBodyCases(backend);
    scrapeCases(backend);
  });
}
