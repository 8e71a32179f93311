import type { EmulatorAgent } from "../execute/prompt-agent.js";
import type { ScrapeJobs } from "../scrape/jobs.js";
import type { Scraper } from "../scrape/scraper.js";
import type { SessionRegistry } from "../sessions/registry.js";
import type { ApiKeys } from "./auth.js";
import type { FaultRegistry } from "./faults.js";

/** What the API handlers need from the emulator. */
export interface ApiContext {
  registry: SessionRegistry;
  faults: FaultRegistry;
  /** The accepted keys and the team of each. */
  keys: ApiKeys;
  /**
   * `POST /v2/scrape` without any Authorization header passes, as on Firecrawl (a key that is sent must be right).
   * Every other operation needs the key either way: the scrape's interaction runs code.
   */
  keylessScrape: boolean;
  /** `http://host:port` of the emulator itself, used when a request has no usable Host header. */
  fallbackOrigin: string;
  /** Where a session made by `POST /interact` opens; `about:blank` (Firecrawl's) needs no navigation. */
  startUrl: string;
  /** Runs `POST /v2/scrape`. */
  scraper: Scraper;
  /** The scrapes `/v2/scrape/{jobId}/interact` can open a session on. */
  scrapeJobs: ScrapeJobs;
  /** What answers prompts; without one a prompt is a 400 `agent_not_configured`. */
  agent: EmulatorAgent | undefined;
}
