import type { FaultSpec } from "../faults.js";

/** The three backends the suite runs on. */
export type BackendName = "fake" | "emulator" | "firecrawl";

/** A page a backend can scrape: its URL, and the title and heading the scrape must report. */
export interface ScrapedPage {
  readonly url: string;
  readonly title: string;
  readonly heading: string;
}

/** What one conformance run needs of a backend. */
export interface ConformanceBackend {
  readonly name: BackendName;
  /** The API root, e.g. `https://api.firecrawl.dev/v2` or the emulator's `url`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The fetch that reaches it: the fake's, or the global one. */
  readonly fetch: typeof globalThis.fetch;
  /** Its `maxSessions`; `undefined` when unknown (Firecrawl's depends on the plan), which leaves out the 429 case. */
  readonly maxSessions: number | undefined;
  /** Let `ms` pass: the fake moves its clock, the emulator and Firecrawl are waited for. */
  elapse(ms: number): Promise<void>;
  /**
   * A URL its scrape can load, whose page has this title and shows `heading` (the fake registers it, the emulator
   * serves it); Firecrawl scrapes the public web, so it answers a known public page and that page's title and heading.
   */
  page(path: string, title: string, heading: string): Promise<ScrapedPage>;
  /** Makes the next calls of an operation fail (the fake's and the emulator's `injectFault`); absent on Firecrawl. */
  readonly injectFault?: (fault: FaultSpec) => void;
  /**
   * True when error bodies must match the emulator's word for word (`error` texts and `details`); Firecrawl's server
   * words its own, so on it only the status, `success: false` and the `code` are held.
   */
  readonly exactErrors: boolean;
}

/** The answer every prompt gets in the suite: the fake's `onPrompt` and the emulator's `agent` both give it. */
export const promptOutput = (prompt: string) => `Did: ${prompt}`;

/** Code every backend runs the same way, and the `result` it answers (the fake's `onExecute` answers it as Node would). */
export const SUITE_CODE = { code: "6 * 7", result: "42" } as const;
